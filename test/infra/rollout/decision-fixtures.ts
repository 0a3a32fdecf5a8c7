import type { AccountRecord, AppliedRecord } from '../../../infra/rollout/contract';
import type {
  InstanceStatus,
  MemberStatus,
  Observation,
  RolloutPolicy,
} from '../../../infra/rollout/decision';

/** Shared inputs of the decision tests: a policy, a clock, accounts and observation builders. */

export const HOUR = 3_600_000;
export const policy: RolloutPolicy = {
  homeRegion: 'eu-west-1',
  stackSetName: 'iam-unused-cleanup-member',
  alarmAfterMs: 24 * HOUR,
  backoffBaseMs: HOUR,
  backoffCapMs: 24 * HOUR,
};
export const T0 = new Date('2026-12-01T00:00:00Z');
export const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);
export const A = '111111111111';
export const B = '333333333333';
export const C = '444444444444';

export function observe(
  members: MemberStatus[],
  instances: Record<string, InstanceStatus> = {},
  extra: Partial<Observation> = {},
): Observation {
  return {
    packExists: true,
    members: new Map(members.map((m) => [m.accountId, m])),
    instances: new Map(Object.entries(instances)),
    iamUsersRecorded: new Set(members.map((m) => m.accountId)),
    hints: new Set(),
    ...extra,
  };
}
export const ok = (accountId: string): MemberStatus => ({ accountId, status: 'CREATE_SUCCESSFUL' });
export const failed = (accountId: string, errorCode: string): MemberStatus => ({
  accountId,
  status: 'CREATE_FAILED',
  errorCode,
  errorMessage: `${errorCode} in ${accountId}`,
});
export const desired = { specHash: 'h1', paused: false, excludedAccounts: new Set<string>() };
export const applied: AppliedRecord = { v: 1, specHash: 'h1', paused: false, putAt: T0.toISOString() };
export const none = new Map<string, AccountRecord>();
