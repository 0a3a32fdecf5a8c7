import type { HeartbeatState } from './heartbeat';

/**
 * Pure model of `iam-unused status`: what the APIs said about the evaluator (StackSet instance or
 * account stack), the conformance pack, the rule's evaluation status and its remediations, and
 * the few summaries every view of them shares. The verdicts are in health.ts.
 */

export interface ComponentState {
  readonly present: boolean;
  /** Short status for the table, e.g. "CURRENT", "CREATE_SUCCESSFUL", "absent". */
  readonly summary: string;
  /** Set when the component is present but not in a good state. */
  readonly problem?: string;
}

export interface StackInstanceFacts {
  readonly region: string;
  readonly status: string;
  readonly detailedStatus?: string;
  readonly reason?: string;
}

export interface RuleEvaluationFacts {
  readonly ruleName: string;
  readonly lastSuccessfulEvaluation?: Date;
  readonly lastFailedEvaluation?: Date;
  readonly lastErrorCode?: string;
  readonly lastErrorMessage?: string;
  /** MaximumExecutionFrequency: the heartbeat is stale after twice this. */
  readonly frequency?: string;
}

/** The rule: its evaluation status, not found, or why it could not be read. */
export type RuleState =
  | { readonly kind: 'found'; readonly facts: RuleEvaluationFacts }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'unreadable'; readonly error: string }
  | { readonly kind: 'not-checked' };

/** One remediation execution as DescribeRemediationExecutionStatus reports it (latest per user). */
export interface RemediationExecutionFacts {
  readonly resourceId: string;
  /** QUEUED, IN_PROGRESS, SUCCEEDED, FAILED or UNKNOWN. */
  readonly state: string;
  readonly invokedAt?: Date;
  readonly updatedAt?: Date;
  readonly steps: readonly {
    readonly name?: string;
    readonly state?: string;
    readonly errorMessage?: string;
  }[];
}

export interface RemediationFailure {
  readonly resourceId: string;
  readonly at?: Date;
  readonly step?: string;
  readonly message?: string;
}

export interface RemediationFacts {
  readonly ruleName: string;
  /** Executions listed: Config keeps the latest one per user (resource). */
  readonly executions: number;
  readonly succeeded: number;
  readonly failed: number;
  /** QUEUED or IN_PROGRESS. */
  readonly running: number;
  readonly newestFailure?: RemediationFailure;
}

/** The remediation executions of the rule, or why they were not read. */
export type RemediationState =
  | { readonly kind: 'found'; readonly facts: RemediationFacts }
  | { readonly kind: 'not-configured'; readonly ruleName: string }
  | { readonly kind: 'unreadable'; readonly error: string }
  | { readonly kind: 'not-checked' };

/** Which pack the account runs: the organization pack carries the two unverified choices. */
export type PackKind = 'organization' | 'account';

/**
 * Likely causes that only a real organization can confirm: both live in
 * conformance-pack/builder.ts targetReferences() (see docs/aws-behaviour.md, "Unverified choices").
 */
export const UNVERIFIED_CAUSES = {
  remediationRole:
    'remediation role ARN form — an unverified choice, see conformance-pack/builder.ts targetReferences()',
  functionArn:
    'per-account function ARN (Fn::Sub in SourceIdentifier) — an unverified choice, see conformance-pack/builder.ts targetReferences()',
} as const;

/** SSM Automation could not assume the AutomationAssumeRole ("The defined assume role is unable to be assumed", sts:AssumeRole denied). */
export function mentionsAssumingRole(message: string): boolean {
  // "assumed-role/…" in a caller ARN means the role WAS assumed: not this failure.
  return /\bassum(?:e|ed|ing)\b(?!-role)[^.]*\brole\b|\brole\b[^.]*\bassumed\b(?!-role)|\bAssumeRole\b/i.test(
    message,
  );
}

/** Config could not call the rule's Lambda (missing function, wrong ARN, missing permission). */
export function mentionsInvokingFunction(message: string): boolean {
  return /InsufficientPermissions|\binvok(?:e|ing)\b[^.]*\bfunction\b|lambda:InvokeFunction|Lambda\.ResourceNotFound|\bfunction\b[^.]*\bnot (?:found|exist)/i.test(
    message,
  );
}

/** Pure: counts the listed executions and picks the newest failure with its failed step. */
export function summarizeRemediations(
  ruleName: string,
  executions: readonly RemediationExecutionFacts[],
): RemediationFacts {
  let succeeded = 0;
  let failed = 0;
  let running = 0;
  let newest: RemediationExecutionFacts | undefined;
  const timeOf = (e: RemediationExecutionFacts) => (e.updatedAt ?? e.invokedAt)?.getTime() ?? -Infinity;
  for (const e of executions) {
    if (e.state === 'SUCCEEDED') succeeded++;
    else if (e.state === 'QUEUED' || e.state === 'IN_PROGRESS') running++;
    else if (e.state === 'FAILED') {
      failed++;
      if (!newest || timeOf(e) > timeOf(newest)) newest = e;
    }
  }
  let newestFailure: RemediationFailure | undefined;
  if (newest) {
    const step = newest.steps.find((s) => s.state === 'FAILED') ?? newest.steps.find((s) => s.errorMessage);
    const at = newest.updatedAt ?? newest.invokedAt;
    newestFailure = {
      resourceId: newest.resourceId,
      ...(at ? { at } : {}),
      ...(step?.name ? { step: step.name } : {}),
      ...(step?.errorMessage ? { message: step.errorMessage } : {}),
    };
  }
  return {
    ruleName,
    executions: executions.length,
    succeeded,
    failed,
    running,
    ...(newestFailure ? { newestFailure } : {}),
  };
}

/** "remediation" column: counts, or why there are none. */
export function remediationSummary(state: RemediationState): string {
  switch (state.kind) {
    case 'found': {
      const f = state.facts;
      if (f.executions === 0) return 'none';
      const parts = [
        f.failed > 0 ? `${f.failed} failed` : '',
        f.succeeded > 0 ? `${f.succeeded} ok` : '',
        f.running > 0 ? `${f.running} running` : '',
      ].filter(Boolean);
      const other = f.executions - f.failed - f.succeeded - f.running;
      if (other > 0) parts.push(`${other} unknown`);
      return parts.join(', ');
    }
    case 'not-configured':
      return 'not configured';
    case 'unreadable':
      return 'unreadable';
    case 'not-checked':
      return '-';
  }
}
export interface AccountHealth {
  readonly healthy: boolean;
  readonly problems: readonly string[];
  /** Why an account is not covered on purpose (excluded from the deployment), and what is left there. */
  readonly note?: string;
}

/**
 * Where the organization pack puts an account: it reaches every account not in its
 * ExcludedAccounts, which always hold the management account (infra/admin-stack.ts
 * packExcludedAccounts). `pack-not-deployed`: the pack itself was not found, so no account is covered.
 */
export type DeploymentScope = 'included' | 'excluded' | 'pack-not-deployed';

/** "last evaluation" column: the last successful evaluation time, if any. */
export function lastEvaluation(rule: RuleState): string {
  return rule.kind === 'found' && rule.facts.lastSuccessfulEvaluation
    ? rule.facts.lastSuccessfulEvaluation.toISOString()
    : '-';
}

/** "last error" column: the error of a failed evaluation newer than the last success. */
export function lastError(rule: RuleState): string {
  if (rule.kind !== 'found' || !failedSinceSuccess(rule.facts)) return '-';
  return [rule.facts.lastErrorCode, rule.facts.lastErrorMessage].filter(Boolean).join(': ') || 'failed';
}

export function failedSinceSuccess(facts: RuleEvaluationFacts): boolean {
  if (!facts.lastFailedEvaluation) return false;
  return !facts.lastSuccessfulEvaluation || facts.lastFailedEvaluation > facts.lastSuccessfulEvaluation;
}

/** One row of `iam-unused status`. */
export interface AccountStatus {
  readonly accountId: string;
  readonly accountName: string;
  /** Organization mode: where the pack's ExcludedAccounts put the account. */
  readonly scope?: DeploymentScope;
  readonly evaluator: ComponentState;
  readonly pack: ComponentState;
  readonly rule: RuleState;
  readonly remediation: RemediationState;
  readonly heartbeat: HeartbeatState;
  readonly health: AccountHealth;
}
