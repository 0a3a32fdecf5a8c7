import {
  ADMIN_STACK_NAME,
  ORG_CONFORMANCE_PACK_NAME,
  REMEDIATION_ROLE_NAME,
} from '../../../conformance-pack/names';
import { EXCLUDED_NOTE, MANAGEMENT_NOT_COVERED } from '../../lib/aws/organization';

/**
 * Pure health verdicts for `iam-unused status`: from what the APIs said about the evaluator
 * (StackSet instance or account stack), the conformance pack and the rule's evaluation status,
 * whether an account is healthy and, if not, each problem named with its fix.
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
 * conformance-pack/builder.ts targetReferences() (see aws-facts.md, "unverified").
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

/** Note for an account the deployment leaves out on purpose. */

/** Problem of every account when the organization pack is missing (DescribeOrganizationConformancePacks). */
export const PACK_NOT_DEPLOYED =
  `organization conformance pack ${ORG_CONFORMANCE_PACK_NAME} not found in this region: deploy the ` +
  `delegated-admin stack (npx cdk deploy ${ADMIN_STACK_NAME}, see \`iam-unused rollout\`), or pass ` +
  'the home region with --region';

const MANAGEMENT_FIX =
  'the StackSet never reaches the management account: deploy the account stack there or exclude it from the pack';

const ABSENT: ComponentState = { present: false, summary: 'absent' };

export function stackInstancesState(instances: readonly StackInstanceFacts[]): ComponentState {
  if (instances.length === 0) return ABSENT;
  const bad = instances.filter(
    (i) => i.status !== 'CURRENT' || (i.detailedStatus !== undefined && i.detailedStatus !== 'SUCCEEDED'),
  );
  const summary = instances
    .map(
      (i) =>
        `${i.status}${i.detailedStatus && i.detailedStatus !== 'SUCCEEDED' ? `/${i.detailedStatus}` : ''}`,
    )
    .join(', ');
  if (bad.length === 0) return { present: true, summary };
  return {
    present: true,
    summary,
    problem: `StackSet instance ${bad
      .map(
        (i) =>
          `${i.region} ${i.status}${i.detailedStatus ? `/${i.detailedStatus}` : ''}${i.reason ? `: ${i.reason}` : ''}`,
      )
      .join('; ')}`,
  };
}

const ORG_PACK_OK = new Set(['CREATE_SUCCESSFUL', 'UPDATE_SUCCESSFUL']);

/** `excluded`: the account is in the pack's ExcludedAccounts, where Config deleting the pack is expected. */
export function orgPackState(
  status:
    | { readonly status: string; readonly errorCode?: string; readonly errorMessage?: string }
    | undefined,
  excluded = false,
): ComponentState {
  if (!status || status.status === 'DELETE_SUCCESSFUL') return ABSENT;
  if (ORG_PACK_OK.has(status.status) || (excluded && status.status === 'DELETE_IN_PROGRESS'))
    return { present: true, summary: status.status };
  const error = [status.errorCode, status.errorMessage].filter(Boolean).join(': ');
  return {
    present: !status.status.startsWith('CREATE_'),
    summary: status.status,
    problem: `conformance pack ${status.status}${error ? ` (${error})` : ''}`,
  };
}

const STACK_OK = /^(CREATE|UPDATE|IMPORT)_COMPLETE$/;

export function accountStackState(
  stack: { readonly status: string; readonly reason?: string } | undefined,
  stackName: string,
): ComponentState {
  if (!stack) return ABSENT;
  if (STACK_OK.test(stack.status)) return { present: true, summary: stack.status };
  return {
    present: true,
    summary: stack.status,
    problem: `stack ${stackName} ${stack.status}${stack.reason ? ` (${stack.reason})` : ''}`,
  };
}

export function accountPackState(
  pack: { readonly state: string; readonly reason?: string } | undefined,
  packName: string,
): ComponentState {
  if (!pack) return ABSENT;
  if (pack.state === 'CREATE_COMPLETE') return { present: true, summary: pack.state };
  return {
    present: true,
    summary: pack.state,
    problem: `conformance pack ${packName} ${pack.state}${pack.reason ? ` (${pack.reason})` : ''}`,
  };
}

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

function failedSinceSuccess(facts: RuleEvaluationFacts): boolean {
  if (!facts.lastFailedEvaluation) return false;
  return !facts.lastSuccessfulEvaluation || facts.lastFailedEvaluation > facts.lastSuccessfulEvaluation;
}

export interface HealthInput {
  readonly evaluator: ComponentState;
  readonly pack: ComponentState;
  readonly rule: RuleState;
  readonly remediation: RemediationState;
  readonly packKind: PackKind;
  /** From the organization pack's ExcludedAccounts. @default 'included' (account mode has no such list) */
  readonly scope?: DeploymentScope;
  /** The organization's management account, which a service-managed StackSet never reaches. */
  readonly isManagementAccount?: boolean;
  /** Words for the evaluator in messages: "StackSet instance" or "account stack". */
  readonly evaluatorName: string;
  /** How to get the evaluator where the pack already is. @default check the StackSet deployment targets */
  readonly missingEvaluatorFix?: string;
}

/**
 * Included accounts need both pieces and a working rule. Excluded accounts (the management
 * account among them) are left out on purpose: what is still there is a note, and only a piece
 * that reports a failure of its own is a problem.
 */
export function assessHealth(input: HealthInput): AccountHealth {
  const scope = input.scope ?? 'included';
  if (scope === 'pack-not-deployed') {
    const problems = [PACK_NOT_DEPLOYED];
    if (input.evaluator.problem) problems.push(input.evaluator.problem);
    return { healthy: false, problems };
  }
  const excluded = scope === 'excluded';
  const problems = excluded ? [] : coverageProblems(input);
  problems.push(...componentProblems(input), ...ruleProblems(input, excluded));
  const remediationProblem = assessRemediation(
    input.remediation,
    input.packKind,
    input.pack.present,
    excluded,
  );
  if (remediationProblem) problems.push(remediationProblem);
  const health = { healthy: problems.length === 0, problems };
  return excluded ? { ...health, note: excludedNote(input) } : health;
}

/** Whether the evaluator and the pack agree, for an account the deployment should cover. */
function coverageProblems(input: HealthInput): string[] {
  const { evaluator, pack } = input;
  if (!evaluator.present && !pack.present) {
    if (pack.problem) return [`no ${input.evaluatorName} in this account`];
    return [
      `not deployed: neither the ${input.evaluatorName} nor the conformance pack is in this account` +
        (input.isManagementAccount ? `; ${MANAGEMENT_FIX}` : ''),
    ];
  }
  if (pack.present && !evaluator.present)
    return [
      `pack without evaluator: the rule has no Lambda to call here (no ${input.evaluatorName})` +
        `; ${input.isManagementAccount ? MANAGEMENT_FIX : (input.missingEvaluatorFix ?? 'check the StackSet deployment targets')}`,
    ];
  if (evaluator.present && !pack.present && !pack.problem)
    return ['evaluator without pack: the conformance pack has not reached this account'];
  return [];
}

/** Failures the evaluator and the pack report themselves. */
function componentProblems(input: HealthInput): string[] {
  const { evaluator, pack } = input;
  const problems: string[] = [];
  if (evaluator.problem) problems.push(evaluator.problem);
  if (pack.problem)
    problems.push(
      suspectsFunctionArn(input) && mentionsInvokingFunction(pack.problem)
        ? `${pack.problem}; ${FUNCTION_ARN_CAUSE} (or the pack reached this account before the StackSet did)`
        : pack.problem,
    );
  return problems;
}

/**
 * Only the organization pack builds the function ARN with Fn::Sub; and only with the evaluator
 * in place does "cannot invoke the function" point at that ARN rather than a missing function.
 */
function suspectsFunctionArn(input: HealthInput): boolean {
  return input.packKind === 'organization' && input.evaluator.present && !input.evaluator.problem;
}

const FUNCTION_ARN_CAUSE = `likely cause: ${UNVERIFIED_CAUSES.functionArn}`;

/** In an excluded account a missing or idle rule is expected; a failing or unreadable one is not. */
function ruleProblems(input: HealthInput, excluded: boolean): string[] {
  const { rule, pack } = input;
  switch (rule.kind) {
    case 'unreadable':
      return [`rule status unavailable: ${rule.error}`];
    case 'not-found':
      return pack.present && !excluded ? ['the pack is there but its rule was not found in this region'] : [];
    case 'not-checked':
      return [];
    case 'found': {
      const facts = rule.facts;
      if (failedSinceSuccess(facts)) {
        const error = lastError(rule);
        let why = '(the evaluator fails closed; see its logs)';
        if (mentionsInvokingFunction(error))
          why = suspectsFunctionArn(input)
            ? `(Config could not invoke the evaluator; ${FUNCTION_ARN_CAUSE})`
            : '(Config could not invoke the evaluator: check the function and its permission for config.amazonaws.com)';
        return [`last evaluation failed at ${facts.lastFailedEvaluation?.toISOString()}: ${error} ${why}`];
      }
      if (!facts.lastSuccessfulEvaluation && !excluded)
        return ['the rule has not completed an evaluation yet'];
      return [];
    }
  }
}

/** What an excluded account still holds, and what that means. */
function excludedNote(input: HealthInput): string {
  const { evaluator, pack } = input;
  const left = [
    evaluator.present ? `its ${input.evaluatorName} (${evaluator.summary})` : '',
    pack.present ? `the conformance pack (${pack.summary})` : '',
  ].filter(Boolean);
  if (left.length === 0) return input.isManagementAccount ? MANAGEMENT_NOT_COVERED : EXCLUDED_NOTE;
  const still = `${EXCLUDED_NOTE}, yet ${left.join(' and ')} ${left.length > 1 ? 'are' : 'is'} still here`;
  if (!pack.present)
    return `${still}, unused: the StackSet deploys to whole OUs, and no rule calls the evaluator`;
  return evaluator.present
    ? `${still}: the rule may still evaluate and remediate here until Config removes the pack from this excluded account`
    : `${still}: its rule has no evaluator to call until Config removes the pack from this excluded account`;
}

function assessRemediation(
  remediation: RemediationState,
  packKind: PackKind,
  packPresent: boolean,
  excluded: boolean,
): string | undefined {
  switch (remediation.kind) {
    case 'unreadable':
      return `remediation status unavailable: ${remediation.error}`;
    case 'not-configured':
      return packPresent && !excluded
        ? `the rule ${remediation.ruleName} has no remediation configuration: the pack did not create it; redeploy the pack`
        : undefined;
    case 'not-checked':
      return undefined;
    case 'found': {
      const f = remediation.facts;
      if (f.failed === 0) return undefined;
      const newest = f.newestFailure;
      const where = newest
        ? ` newest ${newest.at?.toISOString() ?? '(no time)'} for ${newest.resourceId}${newest.step ? ` at step ${newest.step}` : ''}: ${newest.message ?? 'no step error message'}`
        : '';
      let cause = '';
      if (newest?.message && mentionsAssumingRole(newest.message)) {
        cause =
          packKind === 'organization'
            ? `; likely cause: ${UNVERIFIED_CAUSES.remediationRole}`
            : `; likely cause: the runbook cannot assume ${REMEDIATION_ROLE_NAME}: check that the account stack created it and that it trusts ssm.amazonaws.com`;
      }
      return `remediation failed for ${f.failed} of ${f.executions} user(s);${where}${cause}`;
    }
  }
}
