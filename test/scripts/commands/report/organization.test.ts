import {
  DescribeAggregateComplianceByConfigRulesCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  ListAggregateDiscoveredResourcesCommand,
} from '@aws-sdk/client-config-service';
import { describe, expect, it } from 'vitest';
import { AGGREGATOR_NAME } from '../../../../conformance-pack/names';
import { manyAccounts, organizationAccounts, runCli } from '../../../support/harness';
import {
  asResultOf,
  EVALUATED_AT,
  evaluationResults,
  mockAggregator,
  ruleNameIn,
} from '../../../support/report-fixture';
import { jsonReport, useFixtureOrganization } from './fixture';

const fixture = useFixtureOrganization();

describe('report (organization aggregator)', () => {
  it('lists every evaluated user with a summary per account and who is revoked next', async () => {
    // When
    const { code, report } = await jsonReport();
    // Then
    expect(code).toBe(1); // alice and dave are NON_COMPLIANT
    expect(report.accounts).toEqual([
      { accountId: '111111111111', accountName: 'workloads', users: 3, nonCompliant: 1, excluded: 1 },
      {
        accountId: '222222222222',
        accountName: 'sandbox <eu> & "co"',
        users: 3,
        nonCompliant: 1,
        excluded: 0,
      },
    ]);
    expect(report.users.map((r) => [r.accountId, r.userName, r.compliance, r.excluded])).toEqual([
      ['111111111111', 'alice', 'NON_COMPLIANT', false],
      ['222222222222', 'dave', 'NON_COMPLIANT', false],
      ['111111111111', 'bob', 'COMPLIANT', false],
      ['111111111111', 'breakglass', 'COMPLIANT', true],
      ['222222222222', 'carol', 'COMPLIANT', false],
      ['222222222222', 'erin', 'COMPLIANT', false],
    ]);
    expect(report.users[0]?.recordedAt).toBe(EVALUATED_AT.toISOString());
    // bob's key was 85 days old one day ago: 86 now, 4 days left; erin 61, 29 left.
    expect(report.revokedNext).toEqual([
      expect.objectContaining({
        userName: 'bob',
        credential: 'key AKIAEXAMPLE000000002',
        ageDays: 86,
        limitDays: 90,
        daysLeft: 4,
      }),
      expect.objectContaining({ userName: 'erin', credential: 'password', ageDays: 61, daysLeft: 29 }),
    ]);
    const details = fixture.mocks.config.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand);
    expect(details.map((c) => c.args[0].input)).toContainEqual(
      expect.objectContaining({
        ConfigurationAggregatorName: AGGREGATOR_NAME,
        ConfigRuleName: ruleNameIn('111111111111'),
        AccountId: '111111111111',
        AwsRegion: 'eu-west-1',
        Limit: 100,
      }),
    );
    expect(details.map((c) => c.args[0].input.ConfigRuleName)).not.toContain('some-other-rule');
  });

  it('prints tables: summary, users and revoked next', async () => {
    // When
    const { code, stdout, stderr } = await runCli(['report']);
    // Then
    expect(code).toBe(1);
    expect(stdout).toMatch(/111111111111\s+workloads\s+3\s+1\s+1\s+ok/);
    expect(stdout).toMatch(
      /111111111111\s+workloads\s+alice\s+NON_COMPLIANT\s+alice: password 120d unused, limit 90d/,
    );
    expect(stdout).toMatch(
      /Revoked next[\s\S]*111111111111\s+bob\s+key AKIAEXAMPLE000000002\s+86d\s+90d\s+4/,
    );
    expect(stderr).toContain('report: 2/2');
  });

  it('--non-compliant lists only NON_COMPLIANT users; the summary still counts everyone', async () => {
    // When
    const { report } = await jsonReport(['--non-compliant']);
    // Then
    expect(report.users.map((r) => r.userName)).toEqual(['alice', 'dave']);
    expect(report.accounts[0]?.users).toBe(3);
  });

  it('--account reads only that account', async () => {
    // When
    const { report } = await jsonReport(['--account', '222222222222']);
    // Then
    expect(report.accounts.map((a) => a.accountId)).toEqual(['222222222222']);
    expect(
      fixture.mocks.config
        .commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)
        .map((c) => c.args[0].input.AccountId),
    ).toEqual(['222222222222']);
  });

  it('names an --account outside the organization as a failure without reading it', async () => {
    // When
    const { code, report } = await jsonReport(['--account', '444444444444']);
    // Then
    expect(code).toBe(1);
    expect(report.accounts).toEqual([
      {
        accountId: '444444444444',
        accountName: '',
        users: 0,
        nonCompliant: 0,
        excluded: 0,
        error: 'not in the organization',
      },
    ]);
    expect(fixture.mocks.config.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)).toHaveLength(
      0,
    );
  });

  it('names an --account that is SUSPENDED instead of leaving it out', async () => {
    // Given
    organizationAccounts(fixture.mocks, [
      ['111111111111', 'workloads'],
      ['444444444444', 'closed', 'SUSPENDED'],
    ]);
    // When
    const { report } = await jsonReport(['--account', '444444444444']);
    // Then
    expect(report.accounts).toEqual([
      expect.objectContaining({
        accountId: '444444444444',
        users: 0,
        note: 'account is SUSPENDED; not read',
      }),
    ]);
    expect(fixture.mocks.config.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)).toHaveLength(
      0,
    );
  });

  it('takes the user name from the annotation when the inventory lacks it', async () => {
    // When
    const { report } = await jsonReport();
    // Then
    expect(report.users.find((r) => r.userId === 'AIDAEXAMPLE000000005')?.userName).toBe('dave');
  });

  it('reads the resource inventory only for an account whose annotations do not name every user', async () => {
    // Given
    const results = evaluationResults('111111111111');
    fixture.mocks.config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand, { AccountId: '111111111111' })
      .resolves({
        AggregateEvaluationResults: results.map((r, i) =>
          i === 1 ? { ...r, Annotation: 'written by hand' } : r,
        ),
      });
    // When
    const { report } = await jsonReport();
    // Then
    expect(report.users.find((r) => r.userId === 'AIDAEXAMPLE000000002')?.userName).toBe('bob');
    expect(
      fixture.mocks.config
        .commandCalls(ListAggregateDiscoveredResourcesCommand)
        .map((c) => c.args[0].input.Filters?.AccountId),
    ).toEqual(['111111111111']);
  });

  it('costs one compliance-detail call per account for 500 accounts (names come from the annotations)', async () => {
    // Given
    const accounts = manyAccounts(500);
    organizationAccounts(fixture.mocks, accounts);
    fixture.mocks.config.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({
      AggregateComplianceByConfigRules: accounts.map(([id]) => ({
        ConfigRuleName: ruleNameIn(id),
        AccountId: id,
        AwsRegion: 'eu-west-1',
      })),
    });
    fixture.mocks.config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand)
      .callsFake((input: { AccountId: string }) => ({
        AggregateEvaluationResults: evaluationResults('111111111111').map((r) =>
          asResultOf(r, ruleNameIn(input.AccountId), input.AccountId),
        ),
      }));
    // When
    const { code, report } = await jsonReport(['--concurrency', '32']);
    // Then
    expect(code).toBe(1);
    expect(report.accounts).toHaveLength(500);
    expect(report.users).toHaveLength(1500);
    expect(fixture.mocks.config.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)).toHaveLength(
      500,
    );
    expect(fixture.mocks.config.commandCalls(ListAggregateDiscoveredResourcesCommand)).toHaveLength(0);
    // 500 compliance-detail calls, one rule listing page, one pack-scope read.
    expect(fixture.mocks.config.calls()).toHaveLength(502);
  });

  it('follows NextToken through every page (>100 results per account)', async () => {
    // Given
    mockAggregator(fixture.mocks, { accountId: '111111111111', count: 150 });
    // When
    const { report } = await jsonReport();
    // Then
    expect(report.accounts[0]?.users).toBe(153);
    const calls = fixture.mocks.config
      .commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)
      .filter((c) => c.args[0].input.AccountId === '111111111111');
    expect(calls.map((c) => c.args[0].input.NextToken)).toEqual([undefined, '100']);
    expect(fixture.mocks.config.commandCalls(DescribeAggregateComplianceByConfigRulesCommand)).toHaveLength(
      2,
    );
  });
});
