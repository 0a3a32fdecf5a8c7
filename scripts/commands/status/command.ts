import {
  type CloudFormationClient,
  DescribeStacksCommand,
  ListStackInstancesCommand,
  type StackInstanceSummary,
} from '@aws-sdk/client-cloudformation';
import {
  type ConfigServiceClient,
  DescribeConfigRuleEvaluationStatusCommand,
  DescribeConformancePackStatusCommand,
  DescribeRemediationExecutionStatusCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
  type OrganizationConformancePackDetailedStatus,
  type RemediationExecutionStatus,
} from '@aws-sdk/client-config-service';
import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import {
  ACCOUNT_CONFORMANCE_PACK_NAME,
  ACCOUNT_STACK_NAME,
  ORG_CONFORMANCE_PACK_NAME,
  STACKSET_NAME,
} from '../../../conformance-pack/names';
import { readPackExcludedAccounts } from '../../deployment/pack-scope';
import { type AwsClients, awsClients } from '../../lib/aws/clients';
import { describeFailure, isAwsError } from '../../lib/aws/errors';
import { isActive, listOrganizationAccounts } from '../../lib/aws/organization';
import { collectPages } from '../../lib/aws/pages';
import { forEachAccount } from '../../lib/aws/targets';
import type { RegisterCommand } from '../../lib/terminal/command';
import { EXIT } from '../../lib/terminal/exit-codes';
import type { CliIo } from '../../lib/terminal/io';
import {
  addAwsOptions,
  addConcurrencyOption,
  addModeOption,
  addOutputOption,
  awsOptionsOf,
  type Mode,
} from '../../lib/terminal/options';
import { printable, table, writeJson } from '../../lib/terminal/output';
import { findOurRules } from '../report/read';
import {
  type AccountHealth,
  accountPackState,
  accountStackState,
  assessHealth,
  type ComponentState,
  type DeploymentScope,
  lastError,
  lastEvaluation,
  orgPackState,
  type RemediationExecutionFacts,
  type RemediationState,
  type RuleState,
  remediationSummary,
  type StackInstanceFacts,
  stackInstancesState,
  summarizeRemediations,
} from './model';

/**
 * `iam-unused status`: one row per account with the evaluator (StackSet instance), the
 * conformance pack, whether the two agree, and, inside the account through the exclusions role,
 * the rule's last evaluation and its remediation executions. Those two are where the pack's
 * unverified choices (conformance-pack/builder.ts targetReferences()) show on a real
 * organization. Exit 1 when any account is not healthy.
 */

export interface AccountStatus {
  readonly accountId: string;
  readonly accountName: string;
  /** Organization mode: where the pack's ExcludedAccounts put the account. */
  readonly scope?: DeploymentScope;
  readonly evaluator: ComponentState;
  readonly pack: ComponentState;
  readonly rule: RuleState;
  readonly remediation: RemediationState;
  readonly health: AccountHealth;
}

interface StatusOptions {
  profile?: string;
  region?: string;
  mode: Mode;
  output: 'table' | 'json';
  concurrency: number;
}

const DETAILED_STATUS_LIMIT = 100;
const REMEDIATION_STATUS_LIMIT = 100;

async function listStackInstances(cfn: CloudFormationClient): Promise<StackInstanceSummary[]> {
  return collectPages(async (token) => {
    const page = await cfn.send(
      new ListStackInstancesCommand({
        StackSetName: STACKSET_NAME,
        CallAs: 'DELEGATED_ADMIN',
        NextToken: token,
      }),
    );
    return { items: page.Summaries, next: page.NextToken };
  });
}

async function packStatuses(
  config: ConfigServiceClient,
): Promise<OrganizationConformancePackDetailedStatus[]> {
  return collectPages(async (token) => {
    const page = await config.send(
      new GetOrganizationConformancePackDetailedStatusCommand({
        OrganizationConformancePackName: ORG_CONFORMANCE_PACK_NAME,
        Limit: DETAILED_STATUS_LIMIT,
        NextToken: token,
      }),
    );
    return { items: page.OrganizationConformancePackDetailedStatuses, next: page.NextToken };
  });
}

/** The rule's evaluation status in the account `config` acts in. */
export async function readRuleState(config: ConfigServiceClient): Promise<RuleState> {
  const names = await findOurRules(config);
  const name = names[0];
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
    },
  };
}

/**
 * The rule's remediation executions in the account `config` acts in. There is no aggregate API
 * for them (aws-facts.md): a wrong AutomationAssumeRole only shows up here, as failed steps.
 */
export async function readRemediationState(
  config: ConfigServiceClient,
  ruleName: string,
): Promise<RemediationState> {
  let statuses: RemediationExecutionStatus[];
  try {
    statuses = await collectPages(async (token) => {
      const page = await config.send(
        new DescribeRemediationExecutionStatusCommand({
          ConfigRuleName: ruleName,
          Limit: REMEDIATION_STATUS_LIMIT,
          NextToken: token,
        }),
      );
      return { items: page.RemediationExecutionStatuses, next: page.NextToken };
    });
  } catch (error) {
    if (isAwsError(error, 'NoSuchRemediationConfigurationException'))
      return { kind: 'not-configured', ruleName };
    throw error;
  }
  const executions: RemediationExecutionFacts[] = statuses.map((e) => ({
    resourceId: e.ResourceKey?.resourceId ?? '(unknown resource)',
    state: String(e.State ?? 'UNKNOWN'),
    ...(e.InvocationTime ? { invokedAt: e.InvocationTime } : {}),
    ...(e.LastUpdatedTime ? { updatedAt: e.LastUpdatedTime } : {}),
    steps: (e.StepDetails ?? []).map((step) => ({
      ...(step.Name ? { name: step.Name } : {}),
      ...(step.State ? { state: String(step.State) } : {}),
      ...(step.ErrorMessage ? { errorMessage: step.ErrorMessage } : {}),
    })),
  }));
  return { kind: 'found', facts: summarizeRemediations(ruleName, executions) };
}

/** Rule and remediation inside one account; a failed remediation read is that row's problem only. */
async function readRuleAndRemediation(
  config: ConfigServiceClient,
): Promise<{ rule: RuleState; remediation: RemediationState }> {
  const rule = await readRuleState(config);
  if (rule.kind !== 'found') return { rule, remediation: { kind: 'not-checked' } };
  try {
    return { rule, remediation: await readRemediationState(config, rule.facts.ruleName) };
  } catch (error) {
    return { rule, remediation: { kind: 'unreadable', error: describeFailure(error) } };
  }
}

async function organizationStatus(
  io: CliIo,
  clients: AwsClients,
  concurrency: number,
): Promise<AccountStatus[]> {
  const [accounts, organization, instances, excludedAccounts] = await Promise.all([
    listOrganizationAccounts(clients.organizations),
    clients.organizations.send(new DescribeOrganizationCommand({})),
    listStackInstances(clients.cloudFormation),
    readPackExcludedAccounts(clients.config),
  ]);
  // Without the pack its per-account status fails too (NoSuchOrganizationConformancePackException).
  const packs = excludedAccounts === undefined ? [] : await packStatuses(clients.config);
  const managementId = organization.Organization?.MasterAccountId;
  const scopeOf = (id: string): DeploymentScope => {
    if (excludedAccounts === undefined) return 'pack-not-deployed';
    return excludedAccounts.has(id) ? 'excluded' : 'included';
  };
  const targets = accounts
    .filter(isActive)
    .map((a) => ({ accountId: a.id, accountName: a.name, current: false }));
  const instancesOf = (id: string): StackInstanceFacts[] =>
    instances
      .filter((i) => i.Account === id)
      .map((i) => ({
        region: i.Region ?? '',
        status: String(i.Status ?? 'UNKNOWN'),
        ...(i.StackInstanceStatus?.DetailedStatus
          ? { detailedStatus: String(i.StackInstanceStatus.DetailedStatus) }
          : {}),
        ...(i.StatusReason ? { reason: i.StatusReason } : {}),
      }));
  const packOf = (id: string) => {
    const p = packs.find((s) => s.AccountId === id);
    return p
      ? {
          status: String(p.Status),
          ...(p.ErrorCode ? { errorCode: p.ErrorCode } : {}),
          ...(p.ErrorMessage ? { errorMessage: p.ErrorMessage } : {}),
        }
      : undefined;
  };
  const componentsOf = (id: string) => ({
    evaluator: stackInstancesState(instancesOf(id)),
    pack: orgPackState(packOf(id), scopeOf(id) === 'excluded'),
  });
  /**
   * Where a rule should run, or is left over, read it. An excluded account's rule is read only
   * when both pieces are still there: with one alone there is no rule, or no role to read it with.
   */
  const readsRule = (id: string): boolean => {
    const { evaluator, pack } = componentsOf(id);
    switch (scopeOf(id)) {
      case 'pack-not-deployed':
        return false;
      case 'excluded':
        return evaluator.present && pack.present;
      case 'included':
        return instancesOf(id).length > 0 || packOf(id) !== undefined;
    }
  };
  // Reading the rule inside an account needs the exclusions role the StackSet puts there.
  const rules = await forEachAccount(io, 'status', targets, concurrency, async (target) => {
    if (!readsRule(target.accountId))
      return { rule: { kind: 'not-checked' }, remediation: { kind: 'not-checked' } } as const;
    return readRuleAndRemediation((await clients.member(target.accountId)).config);
  });
  return rules.map((r) => {
    const id = r.target.accountId;
    const { evaluator, pack } = componentsOf(id);
    const scope = scopeOf(id);
    const rule: RuleState = r.ok ? r.value.rule : { kind: 'unreadable', error: r.error };
    // When the account could not be read at all, the rule's row already names why.
    const remediation: RemediationState = r.ok ? r.value.remediation : { kind: 'not-checked' };
    return {
      accountId: id,
      accountName: r.target.accountName,
      scope,
      evaluator,
      pack,
      rule,
      remediation,
      health: assessHealth({
        evaluator,
        pack,
        rule,
        remediation,
        packKind: 'organization',
        scope,
        isManagementAccount: id === managementId,
        evaluatorName: 'StackSet instance',
      }),
    };
  });
}

async function accountStatus(clients: AwsClients): Promise<AccountStatus[]> {
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
  try {
    ({ rule, remediation } = await readRuleAndRemediation(clients.config));
  } catch (error) {
    rule = { kind: 'unreadable', error: describeFailure(error) };
    remediation = { kind: 'not-checked' };
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
      health: assessHealth({
        evaluator,
        pack: packState,
        rule,
        remediation,
        packKind: 'account',
        evaluatorName: `account stack ${ACCOUNT_STACK_NAME}`,
        missingEvaluatorFix: 'deploy the account stack in this account and region',
      }),
    },
  ];
}

export function renderStatusTable(rows: readonly AccountStatus[], mode: Mode): string {
  return (
    table(
      [
        'ACCOUNT',
        'NAME',
        mode === 'organization' ? 'STACKSET' : 'STACK',
        'PACK',
        'LAST EVALUATION',
        'LAST ERROR',
        'REMEDIATION',
        'HEALTH',
      ],
      rows.map((r) => [
        r.accountId,
        r.accountName,
        r.evaluator.summary,
        r.pack.summary,
        lastEvaluation(r.rule),
        lastError(r.rule),
        remediationSummary(r.remediation),
        healthCell(r),
      ]),
    ) + healthDetails(rows)
  );
}

/** Short in the table; the full problems and notes follow it, one per line, so the table stays narrow. */
function healthCell(r: AccountStatus): string {
  if (!r.health.healthy) return `NOT HEALTHY (${r.health.problems.length})`;
  return r.health.note ? 'ok (see note)' : 'ok';
}

function healthDetails(rows: readonly AccountStatus[]): string {
  const label = (r: AccountStatus) => (r.accountName ? `${r.accountId} ${r.accountName}` : r.accountId);
  const problems = rows
    .filter((r) => !r.health.healthy)
    .map((r) => `${label(r)}\n${r.health.problems.map((p) => `  - ${p}`).join('\n')}`);
  // Notes also for unhealthy rows: an excluded account's problem reads differently once its exclusion is known.
  const notes = rows.flatMap((r) => (r.health.note ? [`${label(r)}: ${r.health.note}`] : []));
  let out = '';
  if (problems.length > 0) out += `\nProblems\n${problems.join('\n')}\n`;
  if (notes.length > 0) out += `\nNotes\n${notes.join('\n')}\n`;
  // Problems quote AWS messages (pack, StackSet, runbook step errors): never raw to the terminal.
  return printable(out);
}

function remediationJson(state: RemediationState): unknown {
  if (state.kind !== 'found') return state;
  const { newestFailure, ...counts } = state.facts;
  return {
    kind: 'found',
    ...counts,
    newestFailure: newestFailure
      ? {
          resourceId: newestFailure.resourceId,
          at: newestFailure.at?.toISOString() ?? null,
          step: newestFailure.step ?? null,
          message: newestFailure.message ?? null,
        }
      : null,
  };
}

function statusJson(rows: readonly AccountStatus[]): unknown {
  return rows.map((r) => ({
    accountId: r.accountId,
    accountName: r.accountName,
    ...(r.scope ? { scope: r.scope } : {}),
    evaluator: r.evaluator,
    pack: r.pack,
    rule:
      r.rule.kind === 'found'
        ? {
            kind: 'found',
            ruleName: r.rule.facts.ruleName,
            lastSuccessfulEvaluation: r.rule.facts.lastSuccessfulEvaluation?.toISOString() ?? null,
            lastFailedEvaluation: r.rule.facts.lastFailedEvaluation?.toISOString() ?? null,
            lastError: lastError(r.rule) === '-' ? null : lastError(r.rule),
          }
        : r.rule,
    remediation: remediationJson(r.remediation),
    healthy: r.health.healthy,
    problems: r.health.problems,
    ...(r.health.note ? { note: r.health.note } : {}),
  }));
}

export const registerStatus: RegisterCommand = (program, io, outcome) => {
  const command = program
    .command('status')
    .description(
      "One row per account: StackSet instance, conformance pack, whether they agree, the rule's last evaluation and error, and failed remediations.",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  iam-unused status --profile delegated-admin\n  iam-unused status --mode account --profile workload\n\n' +
        'Exit code: 0 when every account is healthy, 1 otherwise, 2 on bad usage.\n',
    );
  addAwsOptions(command);
  addModeOption(command);
  addOutputOption(command, ['table', 'json']);
  addConcurrencyOption(command);
  command.action(async (options: StatusOptions) => {
    const clients = awsClients(awsOptionsOf(options));
    const rows =
      options.mode === 'account'
        ? await accountStatus(clients)
        : await organizationStatus(io, clients, options.concurrency);
    if (options.output === 'json') writeJson(io, statusJson(rows));
    else io.stdout(renderStatusTable(rows, options.mode));
    const unhealthy = rows.filter((r) => !r.health.healthy).length;
    if (unhealthy > 0) io.stderr(`status: ${unhealthy} of ${rows.length} account(s) not healthy\n`);
    outcome.exitCode = unhealthy > 0 ? EXIT.findings : EXIT.ok;
  });
};
