import { ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeConfigRulesCommand,
  DescribeOrganizationConformancePacksCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
} from '@aws-sdk/client-config-service';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { memberRuleNamePrefix, ORG_CONFORMANCE_PACK_NAME } from '../../../../conformance-pack/names';
import { PACK_NOT_DEPLOYED } from '../../../../scripts/commands/status/health';
import { accountOf, awsError, runCli } from '../../../support/harness';
import { install, json, MANAGEMENT, MIXED, mocks, useMocks } from './fixture';

useMocks();

describe('status (organization): failures', () => {
  it.each([
    ['NoSuchOrganizationConformancePackException', true],
    ['an empty answer', false],
  ])('without the pack (%s) every account is unhealthy with the deploy fix', async (_label, rejects) => {
    // Given
    install(mocks, MIXED);
    if (rejects)
      mocks.config
        .on(DescribeOrganizationConformancePacksCommand)
        .rejects(awsError('NoSuchOrganizationConformancePackException', 'not found'));
    else
      mocks.config
        .on(DescribeOrganizationConformancePacksCommand)
        .resolves({ OrganizationConformancePacks: [] });
    mocks.config
      .on(GetOrganizationConformancePackDetailedStatusCommand)
      .rejects(awsError('NoSuchOrganizationConformancePackException', 'not found'));
    // When
    const { code, rows, stderr } = await json();
    // Then
    expect(code).toBe(1);
    expect(rows.map((r) => [r.accountId, r.scope, r.healthy, r.problems])).toEqual([
      ['111111111111', 'pack-not-deployed', false, [PACK_NOT_DEPLOYED]],
      ['222222222222', 'pack-not-deployed', false, [PACK_NOT_DEPLOYED]],
      [
        '444444444444',
        'pack-not-deployed',
        false,
        [PACK_NOT_DEPLOYED, 'StackSet instance eu-west-1 OUTDATED/FAILED: Account 1 should have ...'],
      ],
      [MANAGEMENT, 'pack-not-deployed', false, [PACK_NOT_DEPLOYED]],
      ['888888888888', 'pack-not-deployed', false, [PACK_NOT_DEPLOYED]],
    ]);
    expect(PACK_NOT_DEPLOYED).toContain('npx cdk deploy IamUnusedCleanupDelegatedAdmin');
    expect(mocks.config.commandCalls(GetOrganizationConformancePackDetailedStatusCommand)).toHaveLength(0);
    expect(mocks.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(stderr).toContain('status: 5 of 5 account(s) not healthy');
  });

  it.each(['AccessDeniedException', 'OrganizationAccessDeniedException'])(
    'fails as a whole (exit 1, one line with the fix) when reading the pack is denied: %s',
    async (name) => {
      install(mocks, MIXED);
      mocks.config
        .on(DescribeOrganizationConformancePacksCommand)
        .rejects(awsError(name, 'not authorized to perform:\nconfig:DescribeOrganizationConformancePacks'));
      const { code, stdout, stderr } = await runCli(['status']);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toEqual([
        `PackScopeDeniedError: Cannot read the organization conformance pack ${ORG_CONFORMANCE_PACK_NAME} (DescribeOrganizationConformancePacks: ${name}: not authorized to perform: config:DescribeOrganizationConformancePacks). Run it with the delegated-admin account's credentials (--profile) in the home region; that account must be the delegated administrator for config-multiaccountsetup.amazonaws.com (\`iam-unused rollout\`) and the caller needs config:DescribeOrganizationConformancePacks.`,
      ]);
      expect(mocks.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    },
  );

  it('fails as a whole when reading the pack is throttled after retries', async () => {
    // Given
    install(mocks, MIXED);
    mocks.config
      .on(DescribeOrganizationConformancePacksCommand)
      .rejects(awsError('ThrottlingException', 'Rate exceeded'));
    // When
    const { code, stdout, stderr } = await runCli(['status']);
    // Then
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('ThrottlingException: Rate exceeded');
  });

  it('reports throttling in one account and still reports the others', async () => {
    // Given
    install(mocks, MIXED);
    mocks.config.on(DescribeConfigRulesCommand).callsFake(async (_input, getClient) => {
      const account = await accountOf(getClient);
      if (account === '111111111111') throw awsError('ThrottlingException', 'Rate exceeded');
      return { ConfigRules: [{ ConfigRuleName: `${memberRuleNamePrefix()}${account.slice(0, 4)}` }] };
    });
    // When
    const { code, rows } = await json();
    // Then
    expect(code).toBe(1);
    expect(rows[0]?.problems[0]).toContain('throttled after retries');
    expect(rows[1]?.rule.kind).toBe('found');
  });

  it('fails as a whole (exit 1, one line) when the org-level read is denied', async () => {
    // Given
    install(mocks, MIXED);
    mocks.cloudFormation
      .on(ListStackInstancesCommand)
      .rejects(awsError('AccessDenied', 'not delegated admin'));
    // When
    const { code, stdout, stderr } = await runCli(['status']);
    // Then
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('not delegated admin');
  });
});
