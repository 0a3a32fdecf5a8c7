import { ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeConfigurationAggregatorsCommand,
  DescribeOrganizationConformancePacksCommand,
  GetAggregateDiscoveredResourceCountsCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
} from '@aws-sdk/client-config-service';
import { afterEach, beforeEach, vi } from 'vitest';
import { AGGREGATOR_NAME, ORG_CONFORMANCE_PACK_NAME } from '../../../../conformance-pack/names';
import { ORGANIZATION_SERVICE_PRINCIPALS } from '../../../../infra/service-principals';
import { type AwsMocks, awsError, manyAccounts, mockAws, runCli } from '../../../support/harness';
import { ADMIN, install, MANAGEMENT } from './fixture';

/** Shared setup for preflight-command.test.ts, preflight-command-failures.test.ts. */
/** `iam-unused rollout`'s preflight over an organization of 150 members, every listing paged. */

export const { stackSets, conformancePacks, config } = ORGANIZATION_SERVICE_PRINCIPALS;
export const MEMBERS = manyAccounts(150);
export const ids = MEMBERS.map(([id]) => id);
export const NO_RECORDER = ids[3] as string; // nothing recorded at all
export const NO_USERS = ids[4] as string; // recorder works, no IAM user recorded
export const BROKEN_INSTANCE = ids[5] as string;
export const EXCLUDED = ids[6] as string;

export function paged<T>(items: readonly T[], token: string | undefined, size: number) {
  const start = Number(token ?? 0);
  const end = start + size;
  return { page: items.slice(start, end), ...(end < items.length ? { NextToken: String(end) } : {}) };
}

export function installOrganization(mocks: AwsMocks, caller?: string): void {
  install(
    mocks,
    {
      trusted: [stackSets, conformancePacks, config],
      admins: { [stackSets]: [ADMIN], [conformancePacks]: [ADMIN], [config]: [ADMIN] },
      ...(caller ? { caller } : {}),
    },
    [[MANAGEMENT, 'management'], [ADMIN, 'security'], ...MEMBERS],
  );
  const instances = ids.map((Account) => ({
    Account,
    Region: 'eu-west-1',
    Status: Account === BROKEN_INSTANCE ? 'INOPERABLE' : 'CURRENT',
    ...(Account === BROKEN_INSTANCE ? { StatusReason: 'Hook CT.CLOUDWATCH.PR.1 failed' } : {}),
  }));
  mocks.cloudFormation
    .on(ListStackInstancesCommand)
    .callsFake((input: { NextToken?: string; MaxResults?: number }) => {
      if ((input.MaxResults ?? 0) > 100) throw awsError('ValidationError');
      const { page, ...next } = paged(instances, input.NextToken, input.MaxResults ?? 100);
      return { Summaries: page, ...next };
    });
  const members = ids.map((AccountId) => ({
    AccountId,
    ConformancePackName: 'OrgConformsPack-x',
    Status: AccountId === NO_RECORDER ? 'CREATE_FAILED' : 'CREATE_SUCCESSFUL',
    ...(AccountId === NO_RECORDER ? { ErrorCode: 'NoAvailableConfigurationRecorderException' } : {}),
  }));
  mocks.config
    .on(GetOrganizationConformancePackDetailedStatusCommand)
    .callsFake((input: { NextToken?: string; Limit?: number }) => {
      if ((input.Limit ?? 0) > 100) throw awsError('InvalidLimitException');
      const { page, ...next } = paged(members, input.NextToken, input.Limit ?? 100);
      return { OrganizationConformancePackDetailedStatuses: page, ...next };
    });
  mocks.config.on(DescribeOrganizationConformancePacksCommand).resolves({
    OrganizationConformancePacks: [
      {
        OrganizationConformancePackName: ORG_CONFORMANCE_PACK_NAME,
        OrganizationConformancePackArn: 'arn',
        LastUpdateTime: new Date(),
        ExcludedAccounts: [MANAGEMENT, EXCLUDED],
      },
    ],
  });
  mocks.config.on(DescribeConfigurationAggregatorsCommand).resolves({
    ConfigurationAggregators: [
      {
        ConfigurationAggregatorName: 'a-accounts-only',
        AccountAggregationSources: [{ AccountIds: [ADMIN] }],
      },
      {
        ConfigurationAggregatorName: 'b-other-region',
        OrganizationAggregationSource: { RoleArn: 'r', AwsRegions: ['us-east-1'] },
      },
      {
        ConfigurationAggregatorName: AGGREGATOR_NAME,
        OrganizationAggregationSource: { RoleArn: 'r', AllAwsRegions: true },
      },
    ],
  });
  // Grouped counts in pages of 40 groups, so the listing takes several pages.
  mocks.config
    .on(GetAggregateDiscoveredResourceCountsCommand)
    .callsFake(
      (input: {
        ConfigurationAggregatorName: string;
        Filters: { ResourceType?: string };
        NextToken?: string;
      }) => {
        if (input.ConfigurationAggregatorName !== AGGREGATOR_NAME) throw new Error('wrong aggregator');
        const users = input.Filters.ResourceType === 'AWS::IAM::User';
        const groups = [ADMIN, ...ids]
          .filter((id) => id !== NO_RECORDER && !(users && id === NO_USERS))
          .map((GroupName) => ({ GroupName, ResourceCount: users ? 2 : 40 }));
        const { page, ...next } = paged(groups, input.NextToken, 40);
        return { GroupedResourceCounts: page, ...next };
      },
    );
}

export interface JsonAccount {
  accountId: string;
  recordsIamUsers: string;
  how: string;
  stackSetInstance: string;
  pack: string;
  verdict: string;
}

export async function preflightJson(args: string[] = []) {
  const run = await runCli(['rollout', '--region', 'eu-west-1', '--output', 'json', ...args]);
  const out = JSON.parse(run.stdout) as {
    preflight: {
      accounts: JsonAccount[];
      proposedExcludedAccountIds: string[];
      excludedAccountIds: string[] | null;
      warnings: string[];
      regionProblems: string[];
    };
  };
  return {
    ...run,
    preflight: out.preflight,
    byId: new Map(out.preflight.accounts.map((a) => [a.accountId, a])),
  };
}

export let mocks: AwsMocks;
beforeEach(() => {
  mocks = mockAws();
});
afterEach(() => {
  vi.unstubAllEnvs();
});
