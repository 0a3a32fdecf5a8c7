import type { AccountCondition, AccountRecord, AppliedRecord } from './contract';

/**
 * Pure reconciliation: what the organization looks like (observation), what the reconciler
 * remembered (records, applied), what is wanted (desired), and the clock in; whether to put the
 * organization pack and every account's new record out. No I/O here; infra/lambda/reconciler does it.
 */

export type InstanceStatus = 'CURRENT' | 'OUTDATED' | 'INOPERABLE' | 'MISSING';

/** One row of GetOrganizationConformancePackDetailedStatus. */
export interface MemberStatus {
  readonly accountId: string;
  readonly status: string;
  readonly errorCode?: string | undefined;
  readonly errorMessage?: string | undefined;
}

const SUCCEEDED = new Set(['CREATE_SUCCESSFUL', 'UPDATE_SUCCESSFUL']);
const IN_PROGRESS = new Set(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS']);
const FAILED = new Set(['CREATE_FAILED', 'UPDATE_FAILED']);
export const NO_RECORDER_ERROR = 'NoAvailableConfigurationRecorderException';

export interface RolloutPolicy {
  readonly homeRegion: string;
  readonly stackSetName: string;
  /** An account uncovered this long raises the alarm (setting rolloutAlarmAfterHours). */
  readonly alarmAfterMs: number;
  /** First retry delay after a put for an account; doubles per attempt up to the cap. */
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
}

export interface Observation {
  /** False when the organization pack does not exist (first deploy, or deleted by hand). */
  readonly packExists: boolean;
  readonly members: ReadonlyMap<string, MemberStatus>;
  /** StackSet instance status of the accounts accountsToCheck named. */
  readonly instances: ReadonlyMap<string, InstanceStatus>;
  /** Accounts with at least one AWS::IAM::User recorded in the home region (the aggregator). */
  readonly iamUsersRecorded: ReadonlySet<string>;
  /** Accounts named by StackSet instance events in this run. */
  readonly hints: ReadonlySet<string>;
}

export interface Desired {
  readonly specHash: string;
  readonly paused: boolean;
  readonly excludedAccounts: ReadonlySet<string>;
}

export type PutReason = 'pack-missing' | 'spec-changed' | 'accounts-due';

export interface Plan {
  readonly put: PutReason | undefined;
  /** Accounts whose retry this put is (their attempt counts when the put is accepted). */
  readonly dueAccounts: readonly string[];
  /** The record of every account that is not fully covered, as it stands without the put. */
  readonly records: ReadonlyMap<string, AccountRecord>;
  readonly coveredAccounts: number;
}

/**
 * Accounts whose StackSet instance the decision needs: new failures, hinted accounts, accounts
 * without a pack, accounts waiting for their evaluator, and retries that are due. An account
 * waiting out its backoff is not looked at again until then.
 */
export function accountsToCheck(
  members: ReadonlyMap<string, MemberStatus>,
  records: ReadonlyMap<string, AccountRecord>,
  hints: ReadonlySet<string>,
  excluded: ReadonlySet<string>,
  now: Date,
): string[] {
  const ids = new Set<string>(hints);
  for (const member of members.values()) {
    if (!FAILED.has(member.status)) continue;
    const prior = records.get(member.accountId);
    const waiting =
      prior?.nextAttemptAt != null &&
      Date.parse(prior.nextAttemptAt) > now.getTime() &&
      prior.errorCode === (member.errorCode ?? null);
    if (!waiting) ids.add(member.accountId);
  }
  for (const id of records.keys()) if (!members.has(id)) ids.add(id);
  return [...ids].filter((id) => !excluded.has(id)).sort();
}

export function planReconciliation(
  observation: Observation,
  records: ReadonlyMap<string, AccountRecord>,
  applied: AppliedRecord | undefined,
  desired: Desired,
  now: Date,
  policy: RolloutPolicy,
): Plan {
  const next = new Map<string, AccountRecord>();
  const due: string[] = [];
  let covered = 0;
  const ids = new Set([...observation.members.keys(), ...records.keys(), ...observation.hints]);
  for (const id of [...ids].sort()) {
    if (desired.excludedAccounts.has(id)) continue;
    const member = observation.members.get(id);
    if (member !== undefined && SUCCEEDED.has(member.status)) covered += 1;
    const outcome = assessAccount(id, member, observation, records.get(id), now, policy);
    if (outcome.record !== undefined) next.set(id, outcome.record);
    if (outcome.due) due.push(id);
  }
  let put: PutReason | undefined;
  if (!observation.packExists) put = 'pack-missing';
  else if (applied?.specHash !== desired.specHash || applied.paused !== desired.paused) put = 'spec-changed';
  // Not held back while members deploy: waiting could miss the two-period target; a refused put
  // (ResourceInUseException) is simply made again in the next run.
  else if (due.length > 0) put = 'accounts-due';
  return { put, dueAccounts: put === undefined ? [] : due, records: next, coveredAccounts: covered };
}

/** The records after the put: each due account's attempt counted and its next retry pushed back. */
export function recordsAfterPut(plan: Plan, accepted: boolean, now: Date, policy: RolloutPolicy) {
  if (!accepted) return plan.records;
  const out = new Map(plan.records);
  for (const id of plan.dueAccounts) {
    const record = out.get(id);
    if (record === undefined) continue;
    const attempts = record.attempts + 1;
    const delay = Math.min(policy.backoffBaseMs * 2 ** (attempts - 1), policy.backoffCapMs);
    out.set(id, {
      ...record,
      attempts,
      lastAttemptAt: now.toISOString(),
      nextAttemptAt: new Date(now.getTime() + delay).toISOString(),
    });
  }
  return out;
}

interface Assessment {
  readonly condition: AccountCondition;
  readonly fix: string;
  /** Whether a put can help now (prerequisites met). */
  readonly puttable: boolean;
}

function assessAccount(
  id: string,
  member: MemberStatus | undefined,
  observation: Observation,
  prior: AccountRecord | undefined,
  now: Date,
  policy: RolloutPolicy,
): { record?: AccountRecord; due: boolean } {
  const instance = observation.instances.get(id);
  if (member !== undefined && IN_PROGRESS.has(member.status)) return { record: prior, due: false };
  if (member !== undefined && !SUCCEEDED.has(member.status) && !FAILED.has(member.status)) {
    return { due: false }; // DELETE_*: the account left the pack's scope
  }
  let assessment: Assessment;
  if (member !== undefined && SUCCEEDED.has(member.status)) {
    if (observation.iamUsersRecorded.has(id)) return { due: false };
    assessment = {
      condition: 'iam-users-not-recorded',
      puttable: false,
      fix:
        `No AWS::IAM::User of this account is recorded in ${policy.homeRegion}, so the runbook cannot find its users: ` +
        'make its configuration recorder record AWS::IAM::User there (or ignore this if the account has no IAM user).',
    };
  } else if (!observation.packExists) {
    return { record: prior, due: false }; // the organization-wide put covers it
  } else {
    if (member === undefined && instance === 'MISSING') return { due: false }; // left the organization
    if (instance === undefined) {
      // Not looked at this run (waiting out its backoff): only the alarm can change.
      return { record: prior === undefined ? undefined : withAlarm(prior, now, policy), due: false };
    }
    assessment = failedAssessment(
      member,
      instance ?? 'MISSING',
      observation.iamUsersRecorded.has(id),
      policy,
    );
  }
  const sameEpisode = prior !== undefined && prior.condition !== 'iam-users-not-recorded';
  const since =
    sameEpisode || prior?.condition === assessment.condition
      ? (prior?.since ?? now.toISOString())
      : now.toISOString();
  // A changed condition means a prerequisite changed (the evaluator or the recorder arrived):
  // the backoff starts afresh, so the account is covered within a period or two of it.
  const attempts = assessment.puttable && prior?.condition === assessment.condition ? prior.attempts : 0;
  const nextAttemptAt = assessment.puttable
    ? attempts === 0
      ? now.toISOString()
      : (prior?.nextAttemptAt ?? now.toISOString())
    : null;
  const due = nextAttemptAt !== null && Date.parse(nextAttemptAt) <= now.getTime();
  return {
    due,
    record: withAlarm(
      {
        v: 1,
        accountId: id,
        condition: assessment.condition,
        since,
        attempts,
        lastAttemptAt: attempts === 0 ? null : (prior?.lastAttemptAt ?? null),
        nextAttemptAt,
        packStatus: member?.status ?? null,
        errorCode: member?.errorCode ?? null,
        errorMessage: member?.errorMessage?.slice(0, 1000) ?? null,
        stackInstanceStatus: instance ?? null,
        fix: assessment.fix,
        alarming: false,
      },
      now,
      policy,
    ),
  };
}

function withAlarm(record: AccountRecord, now: Date, policy: RolloutPolicy): AccountRecord {
  const alarming =
    record.condition !== 'iam-users-not-recorded' &&
    now.getTime() - Date.parse(record.since) >= policy.alarmAfterMs;
  return record.alarming === alarming ? record : { ...record, alarming };
}

function failedAssessment(
  member: MemberStatus | undefined,
  instance: InstanceStatus,
  recorderSeen: boolean,
  policy: RolloutPolicy,
): Assessment {
  if (instance !== 'CURRENT') {
    return {
      condition: 'evaluator-missing',
      puttable: false,
      fix:
        instance === 'MISSING'
          ? `The StackSet ${policy.stackSetName} has no instance in this account, so its evaluator does not exist: ` +
            'add the account to excludedAccountIds, or its OU to targetOrganizationalUnitIds, and deploy.'
          : `The StackSet instance is ${instance}: read its StatusReason (\`aws cloudformation list-stack-instances ` +
            `--stack-set-name ${policy.stackSetName} --call-as DELEGATED_ADMIN\`), fix it (for example a Control Tower ` +
            'hook or a role name taken); the pack is re-put once the instance is CURRENT.',
    };
  }
  if (member === undefined) {
    return {
      condition: 'pack-missing',
      puttable: true,
      fix: 'Nothing to do: the evaluator is deployed and the reconciler re-puts the pack with backoff.',
    };
  }
  // The aggregator seeing IAM users proves a recorder exists now: the error is stale, so re-put.
  if (member.errorCode === NO_RECORDER_ERROR && !recorderSeen) {
    return {
      condition: 'no-recorder',
      puttable: true,
      fix:
        `Create a configuration recorder in ${policy.homeRegion} that records AWS::IAM::User (Config retries by itself ` +
        'for 7 hours, the reconciler after that), or add the account to excludedAccountIds.',
    };
  }
  return {
    condition: 'pack-failed',
    puttable: true,
    fix:
      member.errorCode === 'InsufficientPermissionsException'
        ? 'The pack arrived before the evaluator (or its permission for Config); the reconciler re-puts it with backoff.'
        : 'Read errorMessage; the reconciler re-puts the pack with backoff, and the alarm fires if it keeps failing.',
  };
}
