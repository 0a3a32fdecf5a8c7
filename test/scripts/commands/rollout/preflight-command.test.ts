import { ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeConfigurationAggregatorsCommand,
  DescribeOrganizationConformancePacksCommand,
  GetAggregateDiscoveredResourceCountsCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
} from '@aws-sdk/client-config-service';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AGGREGATOR_NAME, ORG_CONFORMANCE_PACK_NAME } from '../../../../conformance-pack/names';
import { ORGANIZATION_SERVICE_PRINCIPALS } from '../../../../infra/service-principals';
import { type AwsMocks, awsError, manyAccounts, mockAws, runCli } from '../../../support/harness';
import { ADMIN, install, MANAGEMENT } from './fixture';

/** `iam-unused rollout`'s preflight over an organization of 150 members, every listing paged. */

const { stackSets, conformancePacks, config } = ORGANIZATION_SERVICE_PRINCIPALS;
const MEMBERS = manyAccounts(150);
const ids = MEMBERS.map(([id]) => id);
const NO_RECORDER = ids[3] as string; // nothing recorded at all
const NO_USERS = ids[4] as string; // recorder works, no IAM user recorded
const BROKEN_INSTANCE = ids[5] as string;
const EXCLUDED = ids[6] as string;

function paged<T>(items: readonly T[], token: string | undefined, size: number) {
  const start = Number(token ?? 0);
  const end = start + size;
  return { page: items.slice(start, end), ...(end < items.length ? { NextToken: String(end) } : {}) };
}

function installOrganization(mocks: AwsMocks, caller?: string): void {
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

interface JsonAccount {
  accountId: string;
  recordsIamUsers: string;
  how: string;
  stackSetInstance: string;
  pack: string;
  verdict: string;
}

async function preflightJson(args: string[] = []) {
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

let mocks: AwsMocks;
beforeEach(() => {
  mocks = mockAws();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('rollout preflight', () => {
  it('lists every account in scope over paged listings and proposes the ones that cannot work', async () => {
    // Given
    installOrganization(mocks);
    // When
    const { code, preflight, byId, stderr } = await preflightJson();
    // Then
    expect(code).toBe(1);
    expect(preflight.accounts).toHaveLength(151); // 150 members + the delegated admin; not the management account
    expect(byId.get(ids[0] as string)).toMatchObject({
      recordsIamUsers: 'yes',
      how: `aggregator ${AGGREGATOR_NAME}: 2 AWS::IAM::User recorded in eu-west-1`,
      stackSetInstance: 'CURRENT',
      pack: 'CREATE_SUCCESSFUL',
      verdict: 'ok',
    });
    expect(byId.get(ids[149] as string)?.recordsIamUsers).toBe('yes');
    expect(byId.get(NO_RECORDER)).toMatchObject({
      recordsIamUsers: 'no',
      pack: 'CREATE_FAILED (NoAvailableConfigurationRecorderException)',
      verdict: 'exclude',
    });
    expect(byId.get(NO_USERS)).toMatchObject({ recordsIamUsers: 'unknown', verdict: 'check' });
    expect(byId.get(BROKEN_INSTANCE)).toMatchObject({ stackSetInstance: 'INOPERABLE', verdict: 'exclude' });
    expect(byId.get(EXCLUDED)?.verdict).toBe('excluded');
    expect(preflight.proposedExcludedAccountIds).toEqual([NO_RECORDER, BROKEN_INSTANCE].sort());
    expect(preflight.excludedAccountIds).toEqual([NO_RECORDER, BROKEN_INSTANCE, EXCLUDED].sort());
    // Every page was read: 150 instances at 100 a page, 150 members at 100, >100 groups at 40.
    expect(mocks.cloudFormation.commandCalls(ListStackInstancesCommand)).toHaveLength(2);
    expect(mocks.cloudFormation.commandCalls(ListStackInstancesCommand)[0]?.args[0].input).toMatchObject({
      CallAs: 'SELF',
      StackInstanceRegion: 'eu-west-1',
    });
    expect(mocks.config.commandCalls(GetOrganizationConformancePackDetailedStatusCommand)).toHaveLength(2);
    expect(
      mocks.config.commandCalls(GetAggregateDiscoveredResourceCountsCommand).length,
    ).toBeGreaterThanOrEqual(8);
    expect(stderr).toContain('rollout preflight: 151 account(s) in scope, home region eu-west-1');
  });

  it('prints the table, the reasons and the cdk.json line to paste', async () => {
    installOrganization(mocks);
    const { code, stdout } = await runCli(['rollout', '--region', 'eu-west-1']);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /ACCOUNT\s+NAME\s+RECORDS IAM USERS\s+HOW WE KNOW\s+STACKSET INSTANCE\s+PACK\s+VERDICT/,
    );
    expect(stdout).toContain(
      `${BROKEN_INSTANCE} member-6: StackSet instance INOPERABLE: Hook CT.CLOUDWATCH.PR.1 failed`,
    );
    expect(stdout).toContain(
      `"excludedAccountIds": ${JSON.stringify([NO_RECORDER, BROKEN_INSTANCE, EXCLUDED].sort())}`,
    );
    expect(stdout).toContain('1 account(s) unknown: rerun with --recorder-role ROLE');
  });

  it('as the delegated admin, reads the StackSet with CallAs DELEGATED_ADMIN', async () => {
    installOrganization(mocks, ADMIN);
    await preflightJson();
    expect(mocks.cloudFormation.commandCalls(ListStackInstancesCommand)[0]?.args[0].input.CallAs).toBe(
      'DELEGATED_ADMIN',
    );
  });

  it('before the first deploy: no StackSet, no pack, and nothing proposed from them', async () => {
    installOrganization(mocks);
    mocks.cloudFormation.on(ListStackInstancesCommand).rejects(awsError('StackSetNotFoundException'));
    mocks.config
      .on(GetOrganizationConformancePackDetailedStatusCommand)
      .rejects(awsError('NoSuchOrganizationConformancePackException'));
    mocks.config
      .on(DescribeOrganizationConformancePacksCommand)
      .rejects(awsError('NoSuchOrganizationConformancePackException'));
    const { preflight, byId } = await preflightJson();
    expect(byId.get(ids[0] as string)).toMatchObject({
      stackSetInstance: 'no StackSet yet',
      pack: 'no pack yet',
    });
    expect(preflight.proposedExcludedAccountIds).toEqual([NO_RECORDER]);
    expect(preflight.excludedAccountIds).toEqual([NO_RECORDER]);
    expect(preflight.warnings).toEqual([]);
  });
});
