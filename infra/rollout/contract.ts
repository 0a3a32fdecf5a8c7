import { IamUnusedError } from '../../evaluator/errors';

/**
 * The rollout contract between the reconciler (writer) and the operator CLI (reader; `status`,
 * `pause`, `resume`). Everything lives in SSM Parameter Store of the delegated-admin account, home
 * region, under one path, so one GetParametersByPath page lists it all. docs/rollout.md describes it.
 */

/** Function name of the reconciler Lambda in the delegated-admin account. */
export const RECONCILER_FUNCTION_NAME = 'iam-unused-cleanup-reconciler';
/** CloudWatch alarm: an in-scope account has stayed uncovered longer than the configured time. */
export const ACCOUNTS_FAILING_ALARM_NAME = 'iam-unused-cleanup-accounts-uncovered';
/** CloudWatch alarm: the reconciler itself failed (it reconciled nothing in that run). */
export const RECONCILER_ALARM_NAME = 'iam-unused-cleanup-reconciler-errors';
/** EMF namespace and metric names the reconciler emits. */
export const ROLLOUT_METRICS = {
  namespace: 'IamUnusedCleanup/Rollout',
  failingTooLong: 'AccountsUncoveredTooLong',
  uncovered: 'AccountsUncovered',
  covered: 'AccountsCovered',
  awsCalls: 'AwsCalls',
} as const;

export const ROLLOUT_PARAMETER_PATH = '/iam-unused-cleanup/rollout';
/** One String parameter per account that is not (fully) covered: `<path>/accounts/<accountId>`. */
export const ACCOUNT_STATE_PATH = `${ROLLOUT_PARAMETER_PATH}/accounts`;
/** Written by `iam-unused pause|resume`; absent = not paused. */
export const PAUSE_PARAMETER_NAME = `${ROLLOUT_PARAMETER_PATH}/pause`;
/** Written by the reconciler after each accepted PutOrganizationConformancePack. */
export const APPLIED_PARAMETER_NAME = `${ROLLOUT_PARAMETER_PATH}/applied`;

export function accountStateParameterName(accountId: string): string {
  return `${ACCOUNT_STATE_PATH}/${accountId}`;
}

/**
 * Why an account in scope is not fully covered. `evaluator-missing`, `no-recorder`, `pack-failed`
 * and `pack-missing` mean the rule does not run there; `iam-users-not-recorded` means it runs but
 * the runbook cannot find the users (remediation impossible).
 */
export const ACCOUNT_CONDITIONS = [
  'evaluator-missing',
  'no-recorder',
  'pack-failed',
  'pack-missing',
  'iam-users-not-recorded',
] as const;
export type AccountCondition = (typeof ACCOUNT_CONDITIONS)[number];

/** Value of an account state parameter (JSON, well under the 4 KB of a standard parameter). */
export interface AccountRecord {
  readonly v: 1;
  readonly accountId: string;
  readonly condition: AccountCondition;
  /** When this account was first seen uncovered (ISO 8601); the alarm counts from here. */
  readonly since: string;
  /** Pack puts made for this account while its prerequisites held (backoff exponent). */
  readonly attempts: number;
  readonly lastAttemptAt: string | null;
  /** When the reconciler may put the pack for it again; null = no put helps (wait or fix). */
  readonly nextAttemptAt: string | null;
  /** Member pack status from GetOrganizationConformancePackDetailedStatus, or null when absent. */
  readonly packStatus: string | null;
  readonly errorCode: string | null;
  /** AWS's message, cut to 1,000 characters. */
  readonly errorMessage: string | null;
  /** StackSet instance status (CURRENT, OUTDATED, INOPERABLE, MISSING), null when not checked. */
  readonly stackInstanceStatus: string | null;
  /** What the operator does about it. */
  readonly fix: string;
  /** True once `since` is older than the alarm threshold. */
  readonly alarming: boolean;
}

/** Value of the applied parameter: what the last accepted put carried. */
export interface AppliedRecord {
  readonly v: 1;
  /** sha256 of the template body and ExcludedAccounts that were put. */
  readonly specHash: string;
  /** Whether that put carried the pause (remediation Automatic=false). */
  readonly paused: boolean;
  readonly putAt: string;
}

/** Value of the pause parameter, as `iam-unused pause` writes it. */
export interface PauseRecord {
  readonly paused: boolean;
  /** Who asked (the caller's ARN) and why; shown by `status` and `report`. */
  readonly by?: string;
  readonly reason?: string;
  readonly at?: string;
}

/** A rollout parameter holds something the reconciler cannot read. */
export class InvalidRolloutParameterError extends IamUnusedError {}

function parseObject(name: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidRolloutParameterError(
      `${name} is not JSON (${JSON.stringify(text.slice(0, 80))}). Delete it (\`aws ssm delete-parameter --name ${name}\`); the reconciler rewrites it.`,
      { cause },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidRolloutParameterError(
      `${name} holds ${JSON.stringify(text.slice(0, 80))}, not a JSON object. Delete it; the reconciler rewrites it.`,
    );
  }
  return value as Record<string, unknown>;
}

export function parseAccountRecord(name: string, text: string): AccountRecord {
  const value = parseObject(name, text);
  const condition = value.condition as AccountCondition;
  if (
    value.v !== 1 ||
    typeof value.accountId !== 'string' ||
    !ACCOUNT_CONDITIONS.includes(condition) ||
    typeof value.since !== 'string' ||
    typeof value.attempts !== 'number'
  ) {
    throw new InvalidRolloutParameterError(
      `${name} is not an account record of version 1 (${text.slice(0, 120)}). Delete it; the reconciler rewrites it in its next run.`,
    );
  }
  return value as unknown as AccountRecord;
}

export function parseAppliedRecord(name: string, text: string): AppliedRecord {
  const value = parseObject(name, text);
  if (value.v !== 1 || typeof value.specHash !== 'string' || typeof value.paused !== 'boolean') {
    throw new InvalidRolloutParameterError(
      `${name} is not an applied record of version 1 (${text.slice(0, 120)}). Delete it; the reconciler then re-puts the pack.`,
    );
  }
  return value as unknown as AppliedRecord;
}

/**
 * The pause parameter. Anything but a JSON object with a boolean `paused` counts as paused: an
 * emergency brake must not fail open on a typo. `warning` says so.
 */
export function parsePauseRecord(text: string | undefined): { pause: PauseRecord; warning?: string } {
  if (text === undefined) return { pause: { paused: false } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined; // not JSON: paused below, like any other unreadable value
  }
  if (typeof value === 'object' && value !== null && typeof (value as PauseRecord).paused === 'boolean') {
    return { pause: value as PauseRecord };
  }
  return {
    pause: { paused: true },
    warning: `${PAUSE_PARAMETER_NAME} holds ${JSON.stringify(text.slice(0, 80))}, not {"paused": true|false}: treated as paused. Run \`iam-unused pause\` or \`iam-unused resume\` to rewrite it.`,
  };
}
