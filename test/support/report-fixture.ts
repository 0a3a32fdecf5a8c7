import {
  DescribeAggregateComplianceByConfigRulesCommand,
  DescribeOrganizationConformancePacksCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  ListAggregateDiscoveredResourcesCommand,
} from '@aws-sdk/client-config-service';
import {
  CONFIG_RULE_NAME,
  memberRuleNamePrefix,
  ORG_CONFORMANCE_PACK_NAME,
} from '../../conformance-pack/names';
import { decide, type UserFacts } from '../../evaluator/decision';
import { ExclusionList } from '../../evaluator/exclusions';
import type { AwsMocks } from './harness';
import { CALLER_ACCOUNT, NOW } from './harness';

/**
 * A small organization as the aggregator shows it, with annotations written by the evaluator's
 * own `decide` (limit 90 days, evaluated one day before NOW).
 */

const DAY = 86_400_000;
export const EVALUATED_AT = new Date(Date.parse(NOW) - DAY);
const ago = (days: number) => new Date(EVALUATED_AT.getTime() - days * DAY - 60_000);

export const REGION = 'eu-west-1';
export const ruleNameIn = (accountId: string) => `${memberRuleNamePrefix()}${accountId.slice(0, 6)}x`;

interface FixtureUser {
  readonly facts: UserFacts;
  readonly exclusions?: string;
}

function u(userName: string, n: number, rest: Partial<UserFacts> = {}): UserFacts {
  return {
    userName,
    userId: `AIDAEXAMPLE${String(n).padStart(9, '0')}`,
    passwordLastUsed: null,
    loginProfile: null,
    accessKeys: [],
    ...rest,
  };
}

export const FIXTURE_ACCOUNTS: Record<string, { name: string; users: FixtureUser[] }> = {
  '111111111111': {
    name: 'workloads',
    users: [
      { facts: u('alice', 1, { loginProfile: { createDate: ago(400) }, passwordLastUsed: ago(120) }) },
      {
        facts: u('bob', 2, {
          accessKeys: [
            {
              accessKeyId: 'AKIAEXAMPLE000000002',
              status: 'Active',
              createDate: ago(300),
              lastUsedDate: ago(85),
            },
          ],
        }),
      },
      {
        facts: u('breakglass', 3, { loginProfile: { createDate: ago(500) }, passwordLastUsed: null }),
        exclusions: 'breakglass',
      },
    ],
  },
  '222222222222': {
    name: 'sandbox <eu> & "co"',
    users: [
      { facts: u('carol', 4) },
      {
        facts: u('dave', 5, {
          accessKeys: [
            {
              accessKeyId: 'AKIAEXAMPLE000000005',
              status: 'Active',
              createDate: ago(200),
              lastUsedDate: null,
            },
          ],
        }),
      },
      { facts: u('erin', 6, { loginProfile: { createDate: ago(100) }, passwordLastUsed: ago(60) }) },
    ],
  },
};

export function evaluationResults(accountId: string) {
  const account = FIXTURE_ACCOUNTS[accountId];
  if (!account) return [];
  return account.users.map(({ facts, exclusions }) => {
    const verdict = decide(
      facts,
      { maxAgeDays: 90, exclusions: exclusions ? ExclusionList.parse(exclusions) : ExclusionList.EMPTY },
      EVALUATED_AT,
    );
    return {
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: {
          ConfigRuleName: ruleNameIn(accountId),
          ResourceType: 'AWS::IAM::User',
          ResourceId: facts.userId,
        },
        OrderingTimestamp: EVALUATED_AT,
      },
      ComplianceType: verdict.compliance,
      ResultRecordedTime: EVALUATED_AT,
      ConfigRuleInvokedTime: EVALUATED_AT,
      Annotation: verdict.annotation,
      AccountId: accountId,
      AwsRegion: REGION,
    };
  });
}

/** Installs the aggregator answers; `extraResults` adds bulk results to one account (pagination). */
export function mockAggregator(
  mocks: AwsMocks,
  extra: { accountId: string; count: number } | undefined = undefined,
): void {
  const ids = Object.keys(FIXTURE_ACCOUNTS);
  mockPackScope(mocks, []);
  // Two pages, with a rule that is not ours in between.
  mocks.config
    .on(DescribeAggregateComplianceByConfigRulesCommand)
    .callsFake((input: { NextToken?: string }) =>
      input.NextToken === 'p2'
        ? {
            AggregateComplianceByConfigRules: ids.slice(1).map((id) => ({
              ConfigRuleName: ruleNameIn(id),
              AccountId: id,
              AwsRegion: REGION,
              Compliance: { ComplianceType: 'NON_COMPLIANT' },
            })),
          }
        : {
            AggregateComplianceByConfigRules: [
              { ConfigRuleName: 'some-other-rule', AccountId: ids[0], AwsRegion: REGION },
              { ConfigRuleName: ruleNameIn(ids[0] as string), AccountId: ids[0], AwsRegion: REGION },
              { ConfigRuleName: `${CONFIG_RULE_NAME}-lookalike`, AccountId: ids[1], AwsRegion: REGION },
            ],
            NextToken: 'p2',
          },
    );
  mocks.config
    .on(GetAggregateComplianceDetailsByConfigRuleCommand)
    .callsFake((input: { AccountId: string; ConfigRuleName: string; NextToken?: string; Limit?: number }) => {
      if (input.ConfigRuleName !== ruleNameIn(input.AccountId))
        throw new Error(`unexpected rule ${input.ConfigRuleName}`);
      if ((input.Limit ?? 0) > 100) throw new Error('Limit above 100');
      const all = [...evaluationResults(input.AccountId)];
      if (extra?.accountId === input.AccountId) {
        for (let i = 0; i < extra.count; i++) {
          all.push({
            ...(evaluationResults(input.AccountId)[2] as (typeof all)[number]),
            EvaluationResultIdentifier: {
              EvaluationResultQualifier: {
                ConfigRuleName: ruleNameIn(input.AccountId),
                ResourceType: 'AWS::IAM::User',
                ResourceId: `AIDABULK${String(i).padStart(12, '0')}`,
              },
              OrderingTimestamp: EVALUATED_AT,
            },
            ComplianceType: 'COMPLIANT',
            Annotation: `bulk-${i}: no console password and no active access key`,
          });
        }
      }
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const end = start + (input.Limit ?? 100);
      return {
        AggregateEvaluationResults: all.slice(start, end),
        ...(end < all.length ? { NextToken: String(end) } : {}),
      };
    });
  mocks.config
    .on(ListAggregateDiscoveredResourcesCommand)
    .callsFake((input: { Filters?: { AccountId?: string } }) => {
      const accountId = input.Filters?.AccountId ?? '';
      return {
        // The inventory knows every user but dave (name then comes from the annotation).
        ResourceIdentifiers: (FIXTURE_ACCOUNTS[accountId]?.users ?? [])
          .filter((x) => x.facts.userName !== 'dave')
          .map((x) => ({
            SourceAccountId: accountId,
            SourceRegion: REGION,
            ResourceId: x.facts.userId,
            ResourceType: 'AWS::IAM::User',
            ResourceName: x.facts.userName,
          })),
      };
    });
}

/** The organization pack as DescribeOrganizationConformancePacks returns it, with these ExcludedAccounts. */
export function mockPackScope(mocks: AwsMocks, excludedAccounts: readonly string[]): void {
  mocks.config.on(DescribeOrganizationConformancePacksCommand).resolves({
    OrganizationConformancePacks: [
      {
        OrganizationConformancePackName: ORG_CONFORMANCE_PACK_NAME,
        OrganizationConformancePackArn: `arn:aws:config:${REGION}:${CALLER_ACCOUNT}:organization-conformance-pack/${ORG_CONFORMANCE_PACK_NAME}-abc`,
        LastUpdateTime: EVALUATED_AT,
        ExcludedAccounts: [...excludedAccounts],
      },
    ],
  });
}

type EvaluationResult = ReturnType<typeof evaluationResults>[number];

/** The same evaluation result as written by another rule (and, if given, in another account). */
export function asResultOf(
  result: EvaluationResult,
  configRuleName: string,
  accountId?: string,
): EvaluationResult {
  return {
    ...result,
    EvaluationResultIdentifier: {
      ...result.EvaluationResultIdentifier,
      EvaluationResultQualifier: {
        ...result.EvaluationResultIdentifier.EvaluationResultQualifier,
        ConfigRuleName: configRuleName,
      },
    },
    ...(accountId === undefined ? {} : { AccountId: accountId }),
  };
}
