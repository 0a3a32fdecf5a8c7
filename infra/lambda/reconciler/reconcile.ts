import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { type AccountRecord, parsePauseRecord } from '../../rollout/contract';
import {
  accountsToCheck,
  type PutReason,
  planReconciliation,
  type RolloutPolicy,
  recordsAfterPut,
} from '../../rollout/decision';
import { packPutFor, type ReconcilerSpec } from '../../rollout/spec';
import {
  putOrganizationPack,
  readIamUserAccounts,
  readInstanceStatuses,
  readMemberStatuses,
} from './organization';
import { readRolloutState, writeApplied, writeRecords } from './state-store';

/** One reconciliation: observe, decide (infra/rollout/decision.ts), put, remember. */

export interface ReconcilerClients {
  readonly config: ConfigServiceClient;
  readonly cloudformation: CloudFormationClient;
  readonly ssm: SSMClient;
}

/** The schedule's period; a retry is due a little before the next run so it is not missed by seconds. */
export const RECONCILE_PERIOD_MINUTES = 60;
const MINUTE = 60_000;

export function policyOf(spec: ReconcilerSpec): RolloutPolicy {
  return {
    homeRegion: spec.homeRegion,
    stackSetName: spec.stackSetName,
    alarmAfterMs: spec.alarmAfterHours * 60 * MINUTE,
    backoffBaseMs: (RECONCILE_PERIOD_MINUTES - 10) * MINUTE,
    backoffCapMs: 24 * 60 * MINUTE,
  };
}

export interface ReconcileResult {
  readonly paused: boolean;
  readonly put: PutReason | undefined;
  /** Whether Config accepted the put; the reason when it did not. */
  readonly putOutcome: 'accepted' | 'none' | string;
  readonly coveredAccounts: number;
  readonly records: ReadonlyMap<string, AccountRecord>;
  readonly alarming: readonly string[];
  readonly warnings: readonly string[];
}

export async function reconcile(
  clients: ReconcilerClients,
  spec: ReconcilerSpec,
  now: Date,
  hints: ReadonlySet<string> = new Set(),
): Promise<ReconcileResult> {
  const policy = policyOf(spec);
  const state = await readRolloutState(clients.ssm);
  const { pause, warning } = parsePauseRecord(state.pauseText);
  const put = packPutFor(spec, pause.paused);
  const excluded = new Set(put.excludedAccounts);
  const pack = await readMemberStatuses(clients.config, spec.packName);
  const iamUsersRecorded = await readIamUserAccounts(clients.config, spec.aggregatorName, spec.homeRegion);
  const check = accountsToCheck(pack.members, state.records, hints, excluded, now);
  const instances = await readInstanceStatuses(
    clients.cloudformation,
    spec.stackSetName,
    spec.homeRegion,
    check,
    Math.max(1, Math.ceil(pack.members.size / 100)),
  );
  const plan = planReconciliation(
    { packExists: pack.exists, members: pack.members, instances, iamUsersRecorded, hints },
    state.records,
    state.applied,
    { specHash: put.specHash, paused: pause.paused, excludedAccounts: excluded },
    now,
    policy,
  );
  let putOutcome = 'none';
  if (plan.put !== undefined) {
    const outcome = await putOrganizationPack(clients.config, spec.packName, put);
    putOutcome = outcome.accepted ? 'accepted' : outcome.reason;
    if (outcome.accepted) {
      await writeApplied(clients.ssm, {
        v: 1,
        specHash: put.specHash,
        paused: pause.paused,
        putAt: now.toISOString(),
      });
    }
  }
  const records = recordsAfterPut(plan, putOutcome === 'accepted', now, policy);
  await writeRecords(clients.ssm, state.records, records);
  return {
    paused: pause.paused,
    put: plan.put,
    putOutcome,
    coveredAccounts: plan.coveredAccounts,
    records,
    alarming: [...records.values()].filter((r) => r.alarming).map((r) => r.accountId),
    warnings: warning === undefined ? [] : [warning],
  };
}
