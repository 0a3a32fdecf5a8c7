import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  type ConfigServiceClient,
  DescribeConfigRuleEvaluationStatusCommand,
  DescribeConformancePackStatusCommand,
  paginateDescribeRemediationExecutionStatus,
  type RemediationExecutionStatus,
} from '@aws-sdk/client-config-service';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { ACCOUNT_CONFORMANCE_PACK_NAME, ACCOUNT_STACK_NAME } from '../../../conformance-pack/names';
import { findOurRules } from '../../deployment/our-rules';
import type { AwsClients } from '../../lib/aws/clients';
import { describeFailure, isAwsError } from '../../lib/aws/errors';
import { allItems, pagesOf } from '../../lib/aws/pages';
import { accountPackState, accountStackState, remediationExecutionFactsOf } from './components';
import { assessHealth } from './health';
import type { HeartbeatState } from './heartbeat';
import { readHeartbeatState } from './heartbeat-read';
import { type AccountStatus, type RemediationState, type RuleState, summarizeRemediations } from './model';

/** Reads inside one account: the rule's evaluation status and remediations, and account mode's row. */

const REMEDIATION_STATUS_LIMIT = 100;

/** The rule's evaluation status in the account `config` acts in. */
export async function readRuleState(config: ConfigServiceClient): Promise<RuleState> {
  const ours = (await findOurRules(config))[0];
  const name = ours?.ruleName;
  if (name === undefined) return { kind: 'not-found' };
  const out = await config.send(new DescribeConfigRuleEvaluationStatusCommand({ ConfigRuleNames: [name] }));
  const s = out.ConfigRulesEvaluationStatus?.[0];
  return {
    kind: 'found',
    facts: {
      ruleName: name,
      ...(s?.LastSuccessfulEvaluationTime
        ? { lastSuccessfulEvaluation: s.LastSuccessfulEvaluationTime }
        : {}),
      ...(s?.LastFailedEvaluationTime ? { lastFailedEvaluation: s.LastFailedEvaluationTime } : {}),
      ...(s?.LastErrorCode ? { lastErrorCode: s.LastErrorCode } : {}),
      ...(s?.LastErrorMessage ? { lastErrorMessage: s.LastErrorMessage } : {}),
      ...(ours?.maximumExecutionFrequency ? { frequency: ours.maximumExecutionFrequency } : {}),
    },
  };
}

/**
 * The rule's remediation executions in the account `config` acts in. There is no aggregate API
 * for them (docs/aws-behaviour.md, "Unverified choices"): a wrong AutomationAssumeRole only
 * shows up here, as failed steps.
 */
export async function readRemediationState(
  config: ConfigServiceClient,
  ruleName: string,
): Promise<RemediationState> {
  let statuses: RemediationExecutionStatus[];
  try {
    statuses = await allItems(
      paginateDescribeRemediationExecutionStatus(pagesOf(config), {
        ConfigRuleName: ruleName,
        Limit: REMEDIATION_STATUS_LIMIT,
      }),
      (p) => p.RemediationExecutionStatuses,
    );
  } catch (error) {
    if (isAwsError(error, 'NoSuchRemediationConfigurationException'))
      return { kind: 'not-configured', ruleName };
    throw error;
  }
  return { kind: 'found', facts: summarizeRemediations(ruleName, remediationExecutionFactsOf(statuses)) };
}

export interface InsideAccount {
  readonly rule: RuleState;
  readonly remediation: RemediationState;
  readonly heartbeat: HeartbeatState;
}

/**
 * Rule, remediation and the evaluator's heartbeat inside one account; a failed remediation or
 * heartbeat read is that row's problem only. Without our rule there is no heartbeat to expect.
 */
export async function readRuleAndRemediation(clients: {
  readonly config: ConfigServiceClient;
  readonly ssm: SSMClient;
}): Promise<InsideAccount> {
  const rule = await readRuleState(clients.config);
  if (rule.kind !== 'found')
    return { rule, remediation: { kind: 'not-checked' }, heartbeat: { kind: 'not-checked' } };
  const heartbeat = readHeartbeatState(clients.ssm);
  let remediation: RemediationState;
  try {
    remediation = await readRemediationState(clients.config, rule.facts.ruleName);
  } catch (error) {
    remediation = { kind: 'unreadable', error: describeFailure(error) };
  }
  return { rule, remediation, heartbeat: await heartbeat };
}

export async function accountStatus(clients: AwsClients, now: Date): Promise<AccountStatus[]> {
  const { accountId } = await clients.callerIdentity();
  let stack: { status: string; reason?: string } | undefined;
  try {
    const out = await clients.cloudFormation.send(
      new DescribeStacksCommand({ StackName: ACCOUNT_STACK_NAME }),
    );
    const s = out.Stacks?.[0];
    stack = s
      ? { status: String(s.StackStatus), ...(s.StackStatusReason ? { reason: s.StackStatusReason } : {}) }
      : undefined;
  } catch (error) {
    // CloudFormation answers a missing stack with a ValidationError "Stack with id ... does not exist".
    if (!(isAwsError(error, 'ValidationError') && /does not exist/.test(String((error as Error).message))))
      throw error;
  }
  let pack: { state: string; reason?: string } | undefined;
  try {
    const out = await clients.config.send(
      new DescribeConformancePackStatusCommand({ ConformancePackNames: [ACCOUNT_CONFORMANCE_PACK_NAME] }),
    );
    const p = out.ConformancePackStatusDetails?.[0];
    pack = p
      ? {
          state: String(p.ConformancePackState),
          ...(p.ConformancePackStatusReason ? { reason: p.ConformancePackStatusReason } : {}),
        }
      : undefined;
  } catch (error) {
    if (!isAwsError(error, 'NoSuchConformancePackException')) throw error;
  }
  let rule: RuleState;
  let remediation: RemediationState;
  let heartbeat: HeartbeatState;
  try {
    ({ rule, remediation, heartbeat } = await readRuleAndRemediation(clients));
  } catch (error) {
    rule = { kind: 'unreadable', error: describeFailure(error) };
    remediation = { kind: 'not-checked' };
    heartbeat = { kind: 'not-checked' };
  }
  const evaluator = accountStackState(stack, ACCOUNT_STACK_NAME);
  const packState = accountPackState(pack, ACCOUNT_CONFORMANCE_PACK_NAME);
  return [
    {
      accountId,
      accountName: '',
      evaluator,
      pack: packState,
      rule,
      remediation,
      heartbeat,
      health: assessHealth({
        evaluator,
        pack: packState,
        rule,
        remediation,
        packKind: 'account',
        evaluatorName: `account stack ${ACCOUNT_STACK_NAME}`,
        missingEvaluatorFix: 'deploy the account stack in this account and region',
        heartbeat: { state: heartbeat, accountId, now },
      }),
    },
  ];
}
