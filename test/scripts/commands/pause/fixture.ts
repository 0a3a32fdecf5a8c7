import { GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import {
  ACCOUNT_STATE_PATH,
  type AccountRecord,
  APPLIED_PARAMETER_NAME,
  type AppliedRecord,
  PAUSE_PARAMETER_NAME,
} from '../../../../infra/rollout/contract';
import type { AwsMocks } from '../../../support/harness';

/** The reconciler's parameters as GetParametersByPath returns them, in pages of two. */

export interface RolloutParameters {
  pause?: string;
  applied?: AppliedRecord;
  records?: AccountRecord[];
}

export function installRolloutParameters(mocks: AwsMocks, p: RolloutParameters): void {
  const all = [
    ...(p.pause === undefined ? [] : [{ Name: PAUSE_PARAMETER_NAME, Value: p.pause }]),
    ...(p.applied === undefined ? [] : [{ Name: APPLIED_PARAMETER_NAME, Value: JSON.stringify(p.applied) }]),
    ...(p.records ?? []).map((r) => ({
      Name: `${ACCOUNT_STATE_PATH}/${r.accountId}`,
      Value: JSON.stringify(r),
    })),
  ];
  mocks.ssm.on(GetParametersByPathCommand).callsFake((input: { NextToken?: string }) => {
    const start = Number(input.NextToken ?? 0);
    return {
      Parameters: all.slice(start, start + 2),
      ...(start + 2 < all.length ? { NextToken: String(start + 2) } : {}),
    };
  });
}

export function applied(paused: boolean, putAt: string): AppliedRecord {
  return { v: 1, specHash: 'abc', paused, putAt };
}

export function record(accountId: string, over: Partial<AccountRecord> = {}): AccountRecord {
  return {
    v: 1,
    accountId,
    condition: 'no-recorder',
    since: '2025-08-26T00:00:00.000Z',
    attempts: 2,
    lastAttemptAt: '2025-08-26T12:00:00.000Z',
    nextAttemptAt: '2025-08-27T12:00:00.000Z',
    packStatus: 'CREATE_FAILED',
    errorCode: 'NoAvailableConfigurationRecorderException',
    errorMessage: 'No configuration recorder is available',
    stackInstanceStatus: 'CURRENT',
    fix: 'Create a configuration recorder in eu-west-1 that records AWS::IAM::User, or add the account to excludedAccountIds.',
    alarming: true,
    ...over,
  };
}
