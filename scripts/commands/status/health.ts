import {
  ADMIN_STACK_NAME,
  ORG_CONFORMANCE_PACK_NAME,
  REMEDIATION_ROLE_NAME,
} from '../../../conformance-pack/names';
import { EXCLUDED_NOTE, MANAGEMENT_NOT_COVERED } from '../../lib/aws/organization';
import { type HeartbeatState, heartbeatProblems } from './heartbeat';
import {
  type AccountHealth,
  type ComponentState,
  type DeploymentScope,
  failedSinceSuccess,
  lastError,
  mentionsAssumingRole,
  mentionsInvokingFunction,
  type PackKind,
  type RemediationState,
  type RuleState,
  UNVERIFIED_CAUSES,
} from './model';

/**
 * Pure health verdicts for `iam-unused status`: from the state of the evaluator, the pack, the
 * rule and its remediations, whether an account is healthy and, if not, each problem named with its fix.
 */

/** Problem of every account when the organization pack is missing (DescribeOrganizationConformancePacks). */
export const PACK_NOT_DEPLOYED =
  `organization conformance pack ${ORG_CONFORMANCE_PACK_NAME} not found in this region: deploy the ` +
  `delegated-admin stack (npx cdk deploy ${ADMIN_STACK_NAME}, see \`iam-unused rollout\`), or pass ` +
  'the home region with --region';

const MANAGEMENT_FIX =
  'the StackSet never reaches the management account: deploy the account stack there or exclude it from the pack';

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
  /** The evaluator's heartbeat, checked against the rule's frequency at `now`. @default not checked */
  readonly heartbeat?: { readonly state: HeartbeatState; readonly accountId: string; readonly now: Date };
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
  const hb = input.heartbeat;
  if (hb && !excluded)
    problems.push(
      ...heartbeatProblems(
        hb.state,
        input.rule.kind === 'found' ? input.rule.facts.frequency : undefined,
        hb.now,
        hb.accountId,
      ),
    );
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
