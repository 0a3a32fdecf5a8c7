import { ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeOrganizationConformancePacksCommand,
  GetAggregateDiscoveredResourceCountsCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
} from '@aws-sdk/client-config-service';
import { describe, expect, it } from 'vitest';
import { AGGREGATOR_NAME } from '../../../../conformance-pack/names';
import { awsError, runCli } from '../../../support/harness';
import { ADMIN } from './fixture';
import {
  BROKEN_INSTANCE,
  EXCLUDED,
  ids,
  installOrganization,
  mocks,
  NO_RECORDER,
  NO_USERS,
  preflightJson,
} from './preflight-fixture';

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
