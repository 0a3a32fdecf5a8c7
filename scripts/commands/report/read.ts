import {
  type ConfigServiceClient,
  type EvaluationResult,
  paginateGetAggregateComplianceDetailsByConfigRule,
  paginateGetComplianceDetailsByConfigRule,
  paginateListAggregateDiscoveredResources,
} from '@aws-sdk/client-config-service';
import { type IAMClient, paginateListUsers } from '@aws-sdk/client-iam';
import { AGGREGATOR_NAME, ORG_CONFORMANCE_PACK_NAME } from '../../../conformance-pack/names';
import { findOurRules, findOurRulesInAggregator, type RuleInstance } from '../../deployment/our-rules';
import { readPackExcludedAccounts } from '../../deployment/pack-scope';
import type { AwsClients } from '../../lib/aws/clients';
import {
  EXCLUDED_NOTE,
  isActive,
  listOrganizationAccounts,
  MANAGEMENT_NOT_COVERED,
  managementAccountId,
} from '../../lib/aws/organization';
import { allItems, pagesOf } from '../../lib/aws/pages';
import { AGGREGATOR_RATE, createRateLimiter, rateLimited } from '../../lib/aws/rate-limit';
import { forEachAccount } from '../../lib/aws/targets';
import type { CliIo } from '../../lib/terminal/io';
import { parseAnnotation } from './annotation';
import { type AccountRead, type ComplianceRow, isExcludedAnnotation } from './model';

/** Reads the rule's results: from the organization aggregator, or from the current account. */

/** The API maximum for the compliance-detail and resource listings. */
export const PAGE_LIMIT = 100;
/** ListUsers' largest page. */
const IAM_PAGE_LIMIT = 1000;

async function aggregateUserNames(
  config: ConfigServiceClient,
  accountId: string,
): Promise<Map<string, string>> {
  const resources = await allItems(
    paginateListAggregateDiscoveredResources(pagesOf(config), {
      ConfigurationAggregatorName: AGGREGATOR_NAME,
      ResourceType: 'AWS::IAM::User',
      Filters: { AccountId: accountId },
      Limit: PAGE_LIMIT,
    }),
    (page) => page.ResourceIdentifiers,
  );
  const names = new Map<string, string>();
  for (const r of resources) if (r.ResourceId && r.ResourceName) names.set(r.ResourceId, r.ResourceName);
  return names;
}

const NO_NAMES: ReadonlyMap<string, string> = new Map();

/**
 * `names` first (account mode: IAM ListUsers, already read) or the annotation first (organization
 * mode: the inventory is read only for users the annotation does not name).
 */
function toRow(
  accountId: string,
  accountName: string,
  region: string,
  result: EvaluationResult,
  names: ReadonlyMap<string, string>,
  order: 'names-first' | 'annotation-first' = 'names-first',
): ComplianceRow {
  const userId = result.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId ?? '';
  const annotation = result.Annotation ?? '';
  const fromAnnotation = parseAnnotation(annotation).userName;
  const fromNames = names.get(userId);
  const userName =
    (order === 'annotation-first' ? (fromAnnotation ?? fromNames) : (fromNames ?? fromAnnotation)) ?? '';
  return {
    accountId,
    accountName,
    region,
    userId,
    userName,
    compliance: result.ComplianceType ?? 'UNKNOWN',
    annotation,
    ...(result.ResultRecordedTime ? { recordedAt: result.ResultRecordedTime } : {}),
    excluded: isExcludedAnnotation(annotation),
  };
}

async function aggregateResults(
  config: ConfigServiceClient,
  rule: RuleInstance,
): Promise<EvaluationResult[]> {
  return allItems(
    paginateGetAggregateComplianceDetailsByConfigRule(pagesOf(config), {
      ConfigurationAggregatorName: AGGREGATOR_NAME,
      ConfigRuleName: rule.ruleName,
      AccountId: rule.accountId,
      AwsRegion: rule.region,
      Limit: PAGE_LIMIT,
    }),
    (page) => page.AggregateEvaluationResults,
  );
}

export interface OrganizationReadOptions {
  readonly accounts?: readonly string[];
  readonly concurrency: number;
  /** Waits before each aggregator call. @default a limiter at AGGREGATOR_RATE in real time */
  readonly aggregatorTurn?: () => Promise<void>;
}

/**
 * Every ACTIVE account of the organization (or the requested ones): an account where the
 * aggregator does not show our rule is a failure, named, not an empty account.
 */
export async function readOrganizationCompliance(
  io: CliIo,
  clients: AwsClients,
  options: OrganizationReadOptions,
): Promise<AccountRead[]> {
  const aggregator = rateLimited(
    clients.config,
    options.aggregatorTurn ?? createRateLimiter(AGGREGATOR_RATE),
  );
  const [orgAccounts, management, rules, excluded] = await Promise.all([
    listOrganizationAccounts(clients.organizations),
    managementAccountId(clients.organizations),
    findOurRulesInAggregator(aggregator),
    readPackExcludedAccounts(clients.config),
  ]);
  const requested = options.accounts?.length ? new Set(options.accounts) : undefined;
  const reads: AccountRead[] = [];
  const byId = new Map(orgAccounts.map((a) => [a.id, a]));
  for (const id of requested ?? []) {
    const account = byId.get(id);
    if (!account) reads.push({ accountId: id, accountName: '', error: 'not in the organization' });
    // Asked for by name: say why it has no rows rather than leaving it out.
    else if (!isActive(account))
      reads.push({
        accountId: id,
        accountName: account.name,
        rows: [],
        note: `account is ${account.status}; not read`,
      });
  }
  const targets = orgAccounts
    .filter((a) => isActive(a) && (requested === undefined || requested.has(a.id)))
    .map((a) => ({ accountId: a.id, accountName: a.name, current: false }));
  const results = await forEachAccount(io, 'report', targets, options.concurrency, async (target) => {
    const mine = rules.filter((r) => r.accountId === target.accountId);
    if (mine.length === 0 && excluded === undefined) {
      throw new Error(
        `the organization conformance pack ${ORG_CONFORMANCE_PACK_NAME} is not deployed in this region: deploy the delegated-admin stack, or pass the home region with --region`,
      );
    }
    // Accounts the pack leaves out on purpose have no rule: say so rather than fail them.
    if (mine.length === 0 && excluded?.has(target.accountId))
      return { rows: [], note: target.accountId === management ? MANAGEMENT_NOT_COVERED : EXCLUDED_NOTE };
    if (mine.length === 0) {
      throw new Error(
        `the aggregator ${AGGREGATOR_NAME} shows no rule of the conformance pack in this account (pack not deployed there, or the aggregator has not synced yet; see iam-unused status)`,
      );
    }
    const results: { region: string; result: EvaluationResult }[] = [];
    for (const rule of mine) {
      for (const result of await aggregateResults(aggregator, rule))
        results.push({ region: rule.region, result });
    }
    // The evaluator's annotations start with the user name, so the resource inventory (one more
    // paged call per account) is read only when some annotation does not name its user.
    const unnamed = results.some(({ result }) => parseAnnotation(result.Annotation).userName === undefined);
    const names = unnamed ? await aggregateUserNames(aggregator, target.accountId) : NO_NAMES;
    return {
      rows: results.map(({ region, result }) =>
        toRow(target.accountId, target.accountName, region, result, names, 'annotation-first'),
      ),
    };
  });
  for (const r of results) {
    reads.push(
      r.ok
        ? { accountId: r.target.accountId, accountName: r.target.accountName, ...r.value }
        : { accountId: r.target.accountId, accountName: r.target.accountName, error: r.error },
    );
  }
  return reads;
}

async function iamUserNames(iam: IAMClient): Promise<Map<string, string>> {
  const users = await allItems(
    paginateListUsers({ ...pagesOf(iam), pageSize: IAM_PAGE_LIMIT }, {}),
    (page) => page.Users,
  );
  const names = new Map<string, string>();
  for (const u of users) if (u.UserId && u.UserName) names.set(u.UserId, u.UserName);
  return names;
}

async function accountResults(config: ConfigServiceClient, ruleName: string): Promise<EvaluationResult[]> {
  return allItems(
    paginateGetComplianceDetailsByConfigRule(pagesOf(config), {
      ConfigRuleName: ruleName,
      ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
      Limit: PAGE_LIMIT,
    }),
    (page) => page.EvaluationResults,
  );
}

/** Account mode: the rule's results in the current account, user names from IAM. */
export async function readAccountCompliance(clients: AwsClients): Promise<AccountRead[]> {
  const { accountId } = await clients.callerIdentity();
  const region = await clients.config.config.region();
  const rules = (await findOurRules(clients.config)).map((rule) => rule.ruleName);
  if (rules.length === 0) {
    return [
      {
        accountId,
        accountName: '',
        error: `no rule of the conformance pack in ${region} (deploy the account stack, or pass --region)`,
      },
    ];
  }
  const names = await iamUserNames(clients.iam);
  const rows: ComplianceRow[] = [];
  for (const rule of rules) {
    for (const result of await accountResults(clients.config, rule))
      rows.push(toRow(accountId, '', region, result, names));
  }
  return [{ accountId, accountName: '', rows }];
}
