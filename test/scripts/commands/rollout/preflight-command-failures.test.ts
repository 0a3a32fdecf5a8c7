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
import { describe, expect, it } from 'vitest';
import { AGGREGATOR_NAME } from '../../../../conformance-pack/names';
import { accountOf, awsError } from '../../../support/harness';
import {
  BROKEN_INSTANCE,
  ids,
  installOrganization,
  mocks,
  NO_RECORDER,
  NO_USERS,
  preflightJson,
} from './preflight-fixture';

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
