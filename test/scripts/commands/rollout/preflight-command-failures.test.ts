import { ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeConfigurationAggregatorsCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeOrganizationConformancePacksCommand,
  GetAggregateDiscoveredResourceCountsCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
} from '@aws-sdk/client-config-service';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AGGREGATOR_NAME, ORG_CONFORMANCE_PACK_NAME } from '../../../../conformance-pack/names';
import { ORGANIZATION_SERVICE_PRINCIPALS } from '../../../../infra/service-principals';
import { type AwsMocks, accountOf, awsError, manyAccounts, mockAws, runCli } from '../../../support/harness';
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

describe('rollout preflight (failures and scale)', () => {
  it('AccessDenied on the StackSet and the pack: unknown columns and warnings, never a guess', async () => {
    installOrganization(mocks);
    mocks.cloudFormation.on(ListStackInstancesCommand).rejects(awsError('AccessDeniedException', 'no'));
    mocks.config
      .on(GetOrganizationConformancePackDetailedStatusCommand)
      .rejects(awsError('AccessDeniedException', 'no'));
    mocks.config
      .on(DescribeOrganizationConformancePacksCommand)
      .rejects(awsError('AccessDeniedException', 'no'));
    const { preflight, byId } = await preflightJson();
    expect(byId.get(BROKEN_INSTANCE)).toMatchObject({ stackSetInstance: 'unknown', pack: 'unknown' });
    expect(preflight.warnings).toHaveLength(3);
    expect(preflight.warnings[0]).toContain('StackSet instances unreadable: AccessDeniedException: no');
    // Today's exclusions unknown: the whole list is not offered, only the proposal.
    expect(preflight.excludedAccountIds).toBeNull();
    expect(preflight.proposedExcludedAccountIds).toEqual([NO_RECORDER]);
  });

  it('a throttled aggregator leaves every recorder unknown with the reason', async () => {
    installOrganization(mocks);
    mocks.config
      .on(GetAggregateDiscoveredResourceCountsCommand)
      .rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const { byId } = await preflightJson();
    expect(byId.get(ids[0] as string)?.recordsIamUsers).toBe('unknown');
    expect(byId.get(ids[0] as string)?.how).toContain(
      `aggregator ${AGGREGATOR_NAME} unreadable: ThrottlingException`,
    );
  });

  it('without an organization aggregator covering the region, says so', async () => {
    installOrganization(mocks);
    mocks.config.on(DescribeConfigurationAggregatorsCommand).resolves({ ConfigurationAggregators: [] });
    const { byId } = await preflightJson();
    expect(byId.get(ids[0] as string)?.how).toContain('no organization aggregator covering eu-west-1');
    const named = await preflightJson(['--aggregator', 'b-other-region']);
    expect(named.byId.get(ids[0] as string)?.how).toContain(
      'aggregator b-other-region is not an organization aggregator covering eu-west-1',
    );
  });

  it('--recorder-role reads each recorder (bounded, with progress); AccessDenied in one account is that account’s', async () => {
    installOrganization(mocks);
    const denied = ids[7] as string;
    mocks.sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
      const account = /::(\d{12}):role\//.exec(input.RoleArn)?.[1];
      if (account === denied) throw awsError('AccessDenied', 'not authorized to perform: sts:AssumeRole');
      return { Credentials: { AccessKeyId: `ASIA${account}`, SecretAccessKey: 's', SessionToken: 't' } };
    });
    mocks.config.on(DescribeConfigurationRecordersCommand).callsFake(async (_input, getClient) => {
      const account = await accountOf(getClient);
      if (account === NO_USERS)
        return {
          ConfigurationRecorders: [
            { name: 'default', recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } },
          ],
        };
      return {
        ConfigurationRecorders: [
          { name: 'default', recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } },
          { name: 'svc', servicePrincipal: 'securityhub.amazonaws.com' },
        ],
      };
    });
    mocks.config.on(DescribeConfigurationRecorderStatusCommand).resolves({
      ConfigurationRecordersStatus: [{ name: 'default', recording: true }],
    });
    const { byId, stderr, preflight } = await preflightJson([
      '--recorder-role',
      'OrganizationAccountAccessRole',
      '--concurrency',
      '4',
    ]);
    expect(byId.get(NO_USERS)).toMatchObject({
      recordsIamUsers: 'no',
      how: 'DescribeConfigurationRecorders through OrganizationAccountAccessRole: recorder default does not record AWS::IAM::User',
      verdict: 'exclude',
    });
    expect(byId.get(ids[0] as string)?.how).toContain('recorder default records AWS::IAM::User and is on');
    // The denied account falls back to the aggregator, which saw its users.
    expect(byId.get(denied)?.recordsIamUsers).toBe('yes');
    expect(preflight.proposedExcludedAccountIds).toContain(NO_USERS);
    expect(mocks.sts.commandCalls(AssumeRoleCommand)).toHaveLength(151);
    expect(mocks.sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleArn).toMatch(
      /^arn:aws:iam::\d{12}:role\/OrganizationAccountAccessRole$/,
    );
    expect(stderr).toMatch(new RegExp(`rollout preflight: \\d+/151 ${denied} failed`));
  });

  it('a home region where IAM cannot be recorded is a finding that no exclusion fixes', async () => {
    installOrganization(mocks);
    const { code, preflight } = await preflightJson(['--region', 'ca-west-1']);
    expect(code).toBe(1);
    expect(preflight.regionProblems[0]).toContain('AWS Config cannot record AWS::IAM::User there');
    expect(preflight.proposedExcludedAccountIds).toEqual([]);
  });
});
