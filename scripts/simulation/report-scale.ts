import {
  ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
  DescribeOrganizationConformancePacksCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  ListAggregateDiscoveredResourcesCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CONFIG_RULE_NAME,
  memberRuleNamePrefix,
  ORG_CONFORMANCE_PACK_NAME,
} from '../../conformance-pack/names';
import { readOrganizationCompliance } from '../commands/report/read';
import type { AwsClients } from '../lib/aws/clients';
import { AGGREGATOR_RATE, createRateLimiter, type RateLimit } from '../lib/aws/rate-limit';
import type { CliIo } from '../lib/terminal/io';
import { VirtualTime } from './virtual-time';

/**
 * `iam-unused report` over a large organization, against an in-memory aggregator that enforces a
 * request rate in virtual time. Assumptions (docs/benchmarks.md, "report at organization scale"):
 * - every aggregate API shares one token bucket per caller of SERVER_RATE (AWS publishes no number:
 *   docs/aws-behaviour.md, "Aggregate API request rates"); a call beyond it is throttled;
 * - each call takes CALL_LATENCY_MS; each account has our rule plus OTHER_RULES other rules;
 * - annotations name their user, as the evaluator writes them, so no inventory listing is needed.
 */
export const SERVER_RATE: RateLimit = { perSecond: 10, burst: 20 };
const CALL_LATENCY_MS = 150;
const OTHER_RULES = 4;
const PAGE = 100;
const RULES_PAGE = 1000;

export interface ReportScaleResult {
  readonly accounts: number;
  readonly usersPerAccount: number;
  readonly aggregatorCalls: number;
  readonly aggregatorCallsBound: number;
  readonly throttled: number;
  readonly accountsFailed: number;
  readonly simulatedSeconds: number;
}

const accountId = (i: number) => String(100000000000 + i);

export async function simulateReport(
  accounts: number,
  usersPerAccount: number,
  clientRate: RateLimit = AGGREGATOR_RATE,
): Promise<ReportScaleResult> {
  const time = new VirtualTime();
  const server = createServerBucket(time);
  let aggregatorCalls = 0;
  let throttled = 0;
  /** Every aggregate call: counted, rate-checked, and answered after the latency. */
  const aggregate = async <T>(answer: () => T): Promise<T> => {
    aggregatorCalls++;
    await time.sleep(CALL_LATENCY_MS);
    if (!server()) {
      throttled++;
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    }
    return answer();
  };
  const ids = Array.from({ length: accounts }, (_, i) => accountId(i + 1));
  const ruleRows = ids.flatMap((id) => [
    { AccountId: id, AwsRegion: 'eu-west-1', ConfigRuleName: `${memberRuleNamePrefix()}${id.slice(-4)}` },
    ...Array.from({ length: OTHER_RULES }, (_, r) => ({
      AccountId: id,
      AwsRegion: 'eu-west-1',
      ConfigRuleName: `other-${r}`,
    })),
  ]);
  const organizations = mockClient(OrganizationsClient);
  organizations.on(ListAccountsCommand).callsFake(async (input: { NextToken?: string }) => {
    const start = Number(input.NextToken ?? 0);
    const page = ids.slice(start, start + 20).map((Id) => ({ Id, Name: `acct-${Id}`, Status: 'ACTIVE' }));
    return { Accounts: page, NextToken: start + 20 < ids.length ? String(start + 20) : undefined };
  });
  organizations
    .on(DescribeOrganizationCommand)
    .resolves({ Organization: { MasterAccountId: '111111111111' } });
  const config = mockClient(ConfigServiceClient);
  config.on(DescribeOrganizationConformancePacksCommand).resolves({
    OrganizationConformancePacks: [
      {
        OrganizationConformancePackName: ORG_CONFORMANCE_PACK_NAME,
        ExcludedAccounts: [],
        OrganizationConformancePackArn: 'arn',
        LastUpdateTime: new Date(0),
      },
    ],
  });
  config.on(DescribeAggregateComplianceByConfigRulesCommand).callsFake((input: { NextToken?: string }) =>
    aggregate(() => {
      const start = Number(input.NextToken ?? 0);
      const next = start + RULES_PAGE < ruleRows.length ? String(start + RULES_PAGE) : undefined;
      return { AggregateComplianceByConfigRules: ruleRows.slice(start, start + RULES_PAGE), NextToken: next };
    }),
  );
  config
    .on(GetAggregateComplianceDetailsByConfigRuleCommand)
    .callsFake((input: { AccountId: string; NextToken?: string }) =>
      aggregate(() => {
        const start = Number(input.NextToken ?? 0);
        const end = Math.min(usersPerAccount, start + PAGE);
        const results = Array.from({ length: end - start }, (_, u) => ({
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: { ResourceId: `AIDA${input.AccountId}${start + u}` },
          },
          ComplianceType: (start + u) % 10 === 0 ? 'NON_COMPLIANT' : 'COMPLIANT',
          Annotation: `user-${start + u}: ${CONFIG_RULE_NAME} simulated`,
        }));
        return {
          AggregateEvaluationResults: results,
          NextToken: end < usersPerAccount ? String(end) : undefined,
        };
      }),
    );
  config
    .on(ListAggregateDiscoveredResourcesCommand)
    .callsFake(() => aggregate(() => ({ ResourceIdentifiers: [] })));
  const clients = {
    organizations: new OrganizationsClient({ region: 'eu-west-1', credentials: FAKE_CREDENTIALS }),
    config: new ConfigServiceClient({ region: 'eu-west-1', credentials: FAKE_CREDENTIALS }),
  } as unknown as AwsClients;
  try {
    const reads = await time.run(
      readOrganizationCompliance(SILENT_IO, clients, {
        concurrency: 8,
        aggregatorTurn: createRateLimiter(clientRate, time),
      }),
    );
    return {
      accounts,
      usersPerAccount,
      aggregatorCalls,
      aggregatorCallsBound: Math.floor(1.1 * accounts * Math.ceil(usersPerAccount / PAGE)),
      throttled,
      accountsFailed: reads.filter((r) => 'error' in r && r.error !== undefined).length,
      simulatedSeconds: Math.round(time.now() / 100) / 10,
    };
  } finally {
    organizations.restore();
    config.restore();
  }
}

const FAKE_CREDENTIALS = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' };
const discard = (): void => undefined;
const SILENT_IO: CliIo = { stdout: discard, stderr: discard, now: () => new Date(0), interactive: false };

/** The aggregator's side of the rate: a token bucket in virtual time (true when the call may go). */
function createServerBucket(time: VirtualTime): () => boolean {
  let tokens = SERVER_RATE.burst;
  let last = 0;
  return () => {
    tokens = Math.min(SERVER_RATE.burst, tokens + ((time.now() - last) * SERVER_RATE.perSecond) / 1000);
    last = time.now();
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}
