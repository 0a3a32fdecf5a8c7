import { MANAGEMENT_NOT_COVERED } from './organization';

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

export interface AccountHealth {
  readonly healthy: boolean;
  readonly problems: readonly string[];
  /** Why a healthy-looking account is not covered (the management account without the account stack). */
  readonly note?: string;
}

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

export function orgPackState(
  status:
    | { readonly status: string; readonly errorCode?: string; readonly errorMessage?: string }
    | undefined,
): ComponentState {
  if (!status || status.status === 'DELETE_SUCCESSFUL') return ABSENT;
  if (ORG_PACK_OK.has(status.status)) return { present: true, summary: status.status };
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
  /** The organization's management account, which a service-managed StackSet never reaches. */
  readonly isManagementAccount?: boolean;
  /** Words for the evaluator in messages: "StackSet instance" or "account stack". */
  readonly evaluatorName: string;
  /** How to get the evaluator where the pack already is. @default check the StackSet deployment targets */
  readonly missingEvaluatorFix?: string;
}

export function assessHealth(input: HealthInput): AccountHealth {
  const problems: string[] = [];
  const { evaluator, pack, rule } = input;
  // By design the organization deployment leaves the management account out; not a fault.
  if (input.isManagementAccount && !evaluator.present && !pack.present && !pack.problem)
    return { healthy: true, problems: [], note: MANAGEMENT_NOT_COVERED };
  if (!evaluator.present && !pack.present) {
    problems.push(
      pack.problem
        ? `no ${input.evaluatorName} in this account`
        : `not deployed: neither the ${input.evaluatorName} nor the conformance pack is in this account`,
    );
  } else if (pack.present && !evaluator.present) {
    problems.push(
      `pack without evaluator: the rule has no Lambda to call here (no ${input.evaluatorName})` +
        (input.isManagementAccount
          ? '; the StackSet never reaches the management account: deploy the account stack there or exclude it from the pack'
          : `; ${input.missingEvaluatorFix ?? 'check the StackSet deployment targets'}`),
    );
  } else if (evaluator.present && !pack.present && !pack.problem) {
    problems.push('evaluator without pack: the conformance pack has not reached this account');
  }
  if (evaluator.problem) problems.push(evaluator.problem);
  if (pack.problem) problems.push(pack.problem);
  switch (rule.kind) {
    case 'unreadable':
      problems.push(`rule status unavailable: ${rule.error}`);
      break;
    case 'not-found':
      if (pack.present) problems.push('the pack is there but its rule was not found in this region');
      break;
    case 'found': {
      const facts = rule.facts;
      if (failedSinceSuccess(facts)) {
        problems.push(
          `last evaluation failed at ${facts.lastFailedEvaluation?.toISOString()}: ${lastError(rule)} (the evaluator fails closed; see its logs)`,
        );
      } else if (!facts.lastSuccessfulEvaluation) {
        problems.push('the rule has not completed an evaluation yet');
      }
      break;
    }
    case 'not-checked':
      break;
  }
  return { healthy: problems.length === 0, problems };
}
