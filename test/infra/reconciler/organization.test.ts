import {
  CloudFormationClient,
  DescribeStackInstanceCommand,
  ListStackInstancesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  ConfigServiceClient,
  DeleteOrganizationConformancePackCommand,
  GetAggregateDiscoveredResourceCountsCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
  PutOrganizationConformancePackCommand,
} from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  deleteOrganizationPack,
  PackPutError,
  putOrganizationPack,
  RolloutReadError,
  readIamUserAccounts,
  readInstanceStatuses,
  readMemberStatuses,
} from '../../../infra/lambda/reconciler/organization';

const err = (name: string) => Object.assign(new Error(`${name} happened`), { name });
const id = (n: number) => String(100_000_000_000 + n);
const config = mockClient(ConfigServiceClient);
const cfn = mockClient(CloudFormationClient);
const client = () => new ConfigServiceClient({ region: 'eu-west-1', maxAttempts: 1 });
const cfnClient = () => new CloudFormationClient({ region: 'eu-west-1', maxAttempts: 1 });
const put = { templateBody: 'Resources: {}', excludedAccounts: ['111111111111'], specHash: 'h' };

beforeEach(() => {
  config.reset();
  cfn.reset();
});

describe('readMemberStatuses', () => {
  it('follows the pages past 100 members (250 members: 3 calls)', async () => {
    config.on(GetOrganizationConformancePackDetailedStatusCommand).callsFake((input) => {
      const start = Number(input.NextToken ?? 0);
      const end = Math.min(start + 100, 250);
      return {
        OrganizationConformancePackDetailedStatuses: Array.from({ length: end - start }, (_, i) => ({
          AccountId: id(start + i),
          ConformancePackName: 'x',
          Status: i === 0 ? 'CREATE_FAILED' : 'CREATE_SUCCESSFUL',
          ErrorCode: i === 0 ? 'InsufficientPermissionsException' : undefined,
        })),
        NextToken: end < 250 ? String(end) : undefined,
      };
    });
    const out = await readMemberStatuses(client(), 'iam-unused-credentials');
    expect(out.exists).toBe(true);
    expect(out.members.size).toBe(250);
    expect(out.members.get(id(100))).toMatchObject({
      status: 'CREATE_FAILED',
      errorCode: 'InsufficientPermissionsException',
    });
    expect(config.commandCalls(GetOrganizationConformancePackDetailedStatusCommand)).toHaveLength(3);
    expect(
      config.commandCalls(GetOrganizationConformancePackDetailedStatusCommand)[0]?.args[0].input.Limit,
    ).toBe(100);
  });

  it('reports a missing organization pack as absent', async () => {
    config
      .on(GetOrganizationConformancePackDetailedStatusCommand)
      .rejects(err('NoSuchOrganizationConformancePackException'));
    expect(await readMemberStatuses(client(), 'p')).toEqual({ exists: false, members: new Map() });
  });

  it.each([
    ['AccessDeniedException', 'delegated-admin account'],
    ['ThrottlingException', 'throttled after retries'],
    ['OrganizationAccessDeniedException', 'delegated-admin account'],
  ])('fails the run on %s (never a partial listing)', async (name, hint) => {
    config
      .on(GetOrganizationConformancePackDetailedStatusCommand)
      .resolvesOnce({
        OrganizationConformancePackDetailedStatuses: [
          { AccountId: id(1), ConformancePackName: 'x', Status: 'CREATE_SUCCESSFUL' },
        ],
        NextToken: 't',
      })
      .rejects(err(name));
    const error = await readMemberStatuses(client(), 'p').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RolloutReadError);
    expect((error as Error).message).toContain(name);
    expect((error as Error).message).toContain(hint);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

describe('readInstanceStatuses', () => {
  it('describes a few accounts one by one; a missing instance is MISSING', async () => {
    cfn
      .on(DescribeStackInstanceCommand, { StackInstanceAccount: id(1) })
      .resolves({ StackInstance: { Status: 'CURRENT' } });
    cfn
      .on(DescribeStackInstanceCommand, { StackInstanceAccount: id(2) })
      .rejects(err('StackInstanceNotFoundException'));
    cfn
      .on(DescribeStackInstanceCommand, { StackInstanceAccount: id(3) })
      .resolves({ StackInstance: { Status: 'OUTDATED' } });
    const out = await readInstanceStatuses(cfnClient(), 'ss', 'eu-west-1', [id(1), id(2), id(3)], 5);
    expect(Object.fromEntries(out)).toEqual({ [id(1)]: 'CURRENT', [id(2)]: 'MISSING', [id(3)]: 'OUTDATED' });
    expect(cfn.commandCalls(DescribeStackInstanceCommand)[0]?.args[0].input).toMatchObject({
      StackSetName: 'ss',
      StackInstanceRegion: 'eu-west-1',
      CallAs: 'DELEGATED_ADMIN',
    });
  });

  it('lists every instance instead when that is fewer calls (pages of 100)', async () => {
    cfn.on(ListStackInstancesCommand).callsFake((input) => {
      const start = Number(input.NextToken ?? 0);
      return {
        Summaries: Array.from({ length: 100 }, (_, i) => ({ Account: id(start + i), Status: 'CURRENT' })),
        NextToken: start === 0 ? '100' : undefined,
      };
    });
    const wanted = [id(5), id(150), id(999)];
    const out = await readInstanceStatuses(cfnClient(), 'ss', 'eu-west-1', wanted, 2);
    expect(Object.fromEntries(out)).toEqual({
      [id(5)]: 'CURRENT',
      [id(150)]: 'CURRENT',
      [id(999)]: 'MISSING',
    });
    expect(cfn.commandCalls(ListStackInstancesCommand)).toHaveLength(2);
    expect(cfn.commandCalls(DescribeStackInstanceCommand)).toHaveLength(0);
  });

  it('fails on AccessDenied rather than guessing an instance state', async () => {
    cfn.on(DescribeStackInstanceCommand).rejects(err('AccessDenied'));
    await expect(readInstanceStatuses(cfnClient(), 'ss', 'eu-west-1', [id(1)], 5)).rejects.toThrow(
      RolloutReadError,
    );
    cfn.on(ListStackInstancesCommand).rejects(err('StackSetNotFoundException'));
    await expect(readInstanceStatuses(cfnClient(), 'ss', 'eu-west-1', [id(1), id(2)], 1)).rejects.toThrow(
      /ListStackInstances failed \(StackSetNotFoundException\)/,
    );
  });
});

describe('readIamUserAccounts', () => {
  it('keeps accounts with at least one recorded IAM user, across pages', async () => {
    config
      .on(GetAggregateDiscoveredResourceCountsCommand)
      .resolvesOnce({
        TotalDiscoveredResources: 3,
        GroupedResourceCounts: [{ GroupName: id(1), ResourceCount: 3 }],
        NextToken: 'n',
      })
      .resolvesOnce({
        TotalDiscoveredResources: 0,
        GroupedResourceCounts: [{ GroupName: id(2), ResourceCount: 0 }],
      });
    expect([...(await readIamUserAccounts(client(), 'agg', 'eu-west-1'))]).toEqual([id(1)]);
    expect(config.commandCalls(GetAggregateDiscoveredResourceCountsCommand)[0]?.args[0].input).toMatchObject({
      ConfigurationAggregatorName: 'agg',
      Filters: { ResourceType: 'AWS::IAM::User', Region: 'eu-west-1' },
      GroupByKey: 'ACCOUNT_ID',
      Limit: 1000,
    });
  });

  it('names the aggregator when it cannot be read', async () => {
    config
      .on(GetAggregateDiscoveredResourceCountsCommand)
      .rejects(err('NoSuchConfigurationAggregatorException'));
    await expect(readIamUserAccounts(client(), 'agg', 'eu-west-1')).rejects.toThrow(
      /aggregator agg exists in eu-west-1/,
    );
  });
});

describe('putOrganizationPack', () => {
  it('puts the template with the excluded accounts', async () => {
    config.on(PutOrganizationConformancePackCommand).resolves({});
    expect(await putOrganizationPack(client(), 'p', put)).toEqual({ accepted: true });
    expect(config.commandCalls(PutOrganizationConformancePackCommand)[0]?.args[0].input).toEqual({
      OrganizationConformancePackName: 'p',
      TemplateBody: 'Resources: {}',
      ExcludedAccounts: ['111111111111'],
    });
  });

  it.each(['ResourceInUseException', 'ThrottlingException', 'LimitExceededException'])(
    'treats %s as "put again next run"',
    async (name) => {
      config.on(PutOrganizationConformancePackCommand).rejects(err(name));
      const out = await putOrganizationPack(client(), 'p', put);
      expect(out.accepted).toBe(false);
      expect(out.accepted === false && out.reason).toContain(name);
    },
  );

  it.each([
    ['AccessDeniedException', 'delegated-admin'],
    ['OrganizationConformancePackTemplateValidationException', 'template error'],
  ])('fails on %s with the fix', async (name, fix) => {
    config.on(PutOrganizationConformancePackCommand).rejects(err(name));
    const error = await putOrganizationPack(client(), 'p', put).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackPutError);
    expect((error as Error).message).toContain(fix);
  });
});

describe('deleteOrganizationPack', () => {
  it('treats an absent pack as deleted and fails on anything else', async () => {
    config
      .on(DeleteOrganizationConformancePackCommand)
      .rejectsOnce(err('NoSuchOrganizationConformancePackException'));
    await expect(deleteOrganizationPack(client(), 'p')).resolves.toBeUndefined();
    config.on(DeleteOrganizationConformancePackCommand).rejects(err('ResourceInUseException'));
    await expect(deleteOrganizationPack(client(), 'p')).rejects.toThrow(
      /delete-organization-conformance-pack/,
    );
  });
});
