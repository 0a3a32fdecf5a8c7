import {
  DescribeAggregateComplianceByConfigRulesCommand,
  DescribeConfigRulesCommand,
  DescribeOrganizationConformancePacksCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  GetComplianceDetailsByConfigRuleCommand,
  ListAggregateDiscoveredResourcesCommand,
} from '@aws-sdk/client-config-service';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AGGREGATOR_NAME, CONFIG_RULE_NAME } from '../../../../conformance-pack/names';
import { EXCLUDED_NOTE } from '../../../../scripts/lib/aws/organization';
import {
  type AwsMocks,
  awsError,
  CALLER_ACCOUNT,
  manyAccounts,
  mockAws,
  organizationAccounts,
  runCli,
  totalCalls,
} from '../../../support/harness';
import {
  EVALUATED_AT,
  evaluationResults,
  FIXTURE_ACCOUNTS,
  mockAggregator,
  mockPackScope,
  ruleNameIn,
} from '../../../support/report-fixture';

interface JsonReport {
  accounts: { accountId: string; users: number; nonCompliant: number; excluded: number; error?: string }[];
  rows: {
    accountId: string;
    userName: string;
    userId: string;
    compliance: string;
    excluded: boolean;
    recordedAt: string;
  }[];
  revokedNext: {
    userName: string;
    daysLeft: number;
    ageDays: number;
    limitDays: number;
    credential: string;
  }[];
}

let mocks: AwsMocks;
beforeEach(() => {
  mocks = mockAws();
  organizationAccounts(mocks, [
    ['111111111111', 'workloads'],
    ['222222222222', FIXTURE_ACCOUNTS['222222222222']?.name ?? ''],
  ]);
  mockAggregator(mocks);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function json(args: string[] = []) {
  const run = await runCli(['report', '--output', 'json', ...args]);
  return { ...run, report: JSON.parse(run.stdout) as JsonReport };
}

describe('report (organization aggregator)', () => {
  it('lists every evaluated user with a summary per account and who is revoked next', async () => {
    const { code, report } = await json();
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
    expect(report.rows.map((r) => [r.accountId, r.userName, r.compliance, r.excluded])).toEqual([
      ['111111111111', 'alice', 'NON_COMPLIANT', false],
      ['222222222222', 'dave', 'NON_COMPLIANT', false],
      ['111111111111', 'bob', 'COMPLIANT', false],
      ['111111111111', 'breakglass', 'COMPLIANT', true],
      ['222222222222', 'carol', 'COMPLIANT', false],
      ['222222222222', 'erin', 'COMPLIANT', false],
    ]);
    expect(report.rows[0]?.recordedAt).toBe(EVALUATED_AT.toISOString());
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
    const details = mocks.config.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand);
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
    const { code, stdout, stderr } = await runCli(['report']);
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
    const { report } = await json(['--non-compliant']);
    expect(report.rows.map((r) => r.userName)).toEqual(['alice', 'dave']);
    expect(report.accounts[0]?.users).toBe(3);
  });

  it('--account reads only that account', async () => {
    const { report } = await json(['--account', '222222222222']);
    expect(report.accounts.map((a) => a.accountId)).toEqual(['222222222222']);
    expect(
      mocks.config
        .commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)
        .map((c) => c.args[0].input.AccountId),
    ).toEqual(['222222222222']);
  });

  it('names an --account outside the organization as a failure without reading it', async () => {
    const { code, report } = await json(['--account', '444444444444']);
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
    expect(mocks.config.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
  });

  it('names an --account that is SUSPENDED instead of leaving it out', async () => {
    organizationAccounts(mocks, [
      ['111111111111', 'workloads'],
      ['444444444444', 'closed', 'SUSPENDED'],
    ]);
    const { report } = await json(['--account', '444444444444']);
    expect(report.accounts).toEqual([
      expect.objectContaining({
        accountId: '444444444444',
        users: 0,
        note: 'account is SUSPENDED; not read',
      }),
    ]);
    expect(mocks.config.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
  });

  it('takes the user name from the annotation when the inventory lacks it', async () => {
    const { report } = await json();
    expect(report.rows.find((r) => r.userId === 'AIDAEXAMPLE000000005')?.userName).toBe('dave');
  });

  it('reads the resource inventory only for an account whose annotations do not name every user', async () => {
    const results = evaluationResults('111111111111');
    mocks.config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand, { AccountId: '111111111111' })
      .resolves({
        AggregateEvaluationResults: results.map((r, i) =>
          i === 1 ? { ...r, Annotation: 'written by hand' } : r,
        ),
      });
    const { report } = await json();
    expect(report.rows.find((r) => r.userId === 'AIDAEXAMPLE000000002')?.userName).toBe('bob');
    expect(
      mocks.config
        .commandCalls(ListAggregateDiscoveredResourcesCommand)
        .map((c) => c.args[0].input.Filters?.AccountId),
    ).toEqual(['111111111111']);
  });

  it('costs one compliance-detail call per account for 500 accounts (names come from the annotations)', async () => {
    const accounts = manyAccounts(500);
    organizationAccounts(mocks, accounts);
    mocks.config.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({
      AggregateComplianceByConfigRules: accounts.map(([id]) => ({
        ConfigRuleName: ruleNameIn(id),
        AccountId: id,
        AwsRegion: 'eu-west-1',
      })),
    });
    mocks.config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand)
      .callsFake((input: { AccountId: string }) => ({
        AggregateEvaluationResults: evaluationResults('111111111111').map((r) => ({
          ...r,
          EvaluationResultIdentifier: {
            ...r.EvaluationResultIdentifier,
            EvaluationResultQualifier: {
              ...r.EvaluationResultIdentifier.EvaluationResultQualifier,
              ConfigRuleName: ruleNameIn(input.AccountId),
            },
          },
          AccountId: input.AccountId,
        })),
      }));
    const { code, report } = await json(['--concurrency', '32']);
    expect(code).toBe(1);
    expect(report.accounts).toHaveLength(500);
    expect(report.rows).toHaveLength(1500);
    expect(mocks.config.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)).toHaveLength(500);
    expect(mocks.config.commandCalls(ListAggregateDiscoveredResourcesCommand)).toHaveLength(0);
    // 500 compliance-detail calls, one rule listing page, one pack-scope read.
    expect(mocks.config.calls()).toHaveLength(502);
  });

  it('follows NextToken through every page (>100 results per account)', async () => {
    mockAggregator(mocks, { accountId: '111111111111', count: 150 });
    const { report } = await json();
    expect(report.accounts[0]?.users).toBe(153);
    const calls = mocks.config
      .commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)
      .filter((c) => c.args[0].input.AccountId === '111111111111');
    expect(calls.map((c) => c.args[0].input.NextToken)).toEqual([undefined, '100']);
    expect(mocks.config.commandCalls(DescribeAggregateComplianceByConfigRulesCommand)).toHaveLength(2);
  });

  it('reports AccessDenied for one account and still reports the others (exit 1)', async () => {
    mocks.config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand, { AccountId: '111111111111' })
      .rejects(awsError('AccessDeniedException', 'not authorized'));
    const { code, report, stderr } = await json();
    expect(code).toBe(1);
    expect(report.accounts[0]).toMatchObject({
      accountId: '111111111111',
      error: expect.stringContaining('AccessDeniedException'),
    });
    expect(report.accounts[1]).toMatchObject({ accountId: '222222222222', users: 3 });
    expect(report.rows.every((r) => r.accountId === '222222222222')).toBe(true);
    expect(stderr).toContain('account 111111111111 not read');
  });

  it('reports throttling that outlasted retries as that account failing', async () => {
    mocks.config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand, { AccountId: '222222222222' })
      .rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const { code, report } = await json();
    expect(code).toBe(1);
    expect(report.accounts[1]?.error).toContain('throttled after retries');
    expect(report.accounts[0]?.users).toBe(3);
  });

  it('names an account where the aggregator shows no rule of the pack', async () => {
    organizationAccounts(mocks, [
      ['111111111111', 'workloads'],
      ['222222222222', 'sandbox'],
      ['444444444444', 'new-account'],
    ]);
    const { code, report } = await json();
    expect(code).toBe(1);
    expect(report.accounts[2]).toMatchObject({
      accountId: '444444444444',
      error: expect.stringContaining('shows no rule'),
    });
  });

  it('notes the management account without the pack instead of failing it', async () => {
    organizationAccounts(mocks, [
      ['111111111111', 'workloads'],
      ['222222222222', 'sandbox'],
      ['555555555555', 'management'],
    ]);
    mocks.organizations
      .on(DescribeOrganizationCommand)
      .resolves({ Organization: { MasterAccountId: '555555555555' } });
    mockPackScope(mocks, ['555555555555']);
    const { report } = await json(['--non-compliant']);
    expect(report.accounts[2]).toMatchObject({ accountId: '555555555555', users: 0 });
    expect(report.accounts[2]?.error).toBeUndefined();
    expect((report.accounts[2] as { note?: string }).note).toContain('management account');
  });

  it('notes an account the pack excludes on purpose instead of failing it', async () => {
    organizationAccounts(mocks, [
      ['111111111111', 'workloads'],
      ['222222222222', 'sandbox'],
      ['666666666666', 'partner'],
    ]);
    mockPackScope(mocks, ['555555555555', '666666666666']);
    const { report } = await json(['--account', '666666666666']);
    expect(report.accounts).toEqual([
      expect.objectContaining({ accountId: '666666666666', users: 0, note: EXCLUDED_NOTE }),
    ]);
    expect(report.accounts[0]?.error).toBeUndefined();
  });

  it('fails every account without a rule when the organization pack is not deployed in the region', async () => {
    organizationAccounts(mocks, [['666666666666', 'partner']]);
    mocks.config
      .on(DescribeOrganizationConformancePacksCommand)
      .rejects(awsError('NoSuchOrganizationConformancePackException', 'no such pack'));
    const { code, report } = await json();
    expect(code).toBe(1);
    expect(report.accounts[0]?.error).toMatch(
      /conformance pack iam-unused-credentials is not deployed in this region/,
    );
  });

  it('exits 0 when every shown user is compliant and every account was read', async () => {
    mocks.config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand)
      .callsFake((input: { AccountId: string }) => ({
        AggregateEvaluationResults: evaluationResults(input.AccountId).filter(
          (r) => r.ComplianceType === 'COMPLIANT',
        ),
      }));
    const { code } = await json();
    expect(code).toBe(0);
  });

  it('writes CSV with quoted fields', async () => {
    const { stdout } = await runCli(['report', '--output', 'csv']);
    const lines = stdout.split('\r\n');
    expect(lines[0]).toBe(
      'account_id,account_name,region,user_name,user_id,compliance,excluded,annotation,recorded_time',
    );
    expect(lines).toContainEqual(
      expect.stringContaining('222222222222,"sandbox <eu> & ""co""",eu-west-1,dave,'),
    );
    expect(lines).toHaveLength(6 + 2);
  });

  it('writes one self-contained HTML page with every value escaped', async () => {
    const { stdout } = await runCli(['report', '--output', 'html']);
    expect(stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(stdout).toContain('sandbox &lt;eu&gt; &amp; &quot;co&quot;');
    expect(stdout).not.toContain('<eu>');
    expect(stdout).not.toMatch(/<script|<link|src=|href=/i);
    const nonCompliant = stdout.slice(
      stdout.indexOf('id="non-compliant"'),
      stdout.indexOf('id="revoked-next"'),
    );
    expect(nonCompliant).toContain('alice');
    expect(nonCompliant).toContain('dave');
    expect(nonCompliant).not.toContain('bob');
  });

  it.each([
    [['report', '--output', 'xml'], 'Allowed choices are table, json, csv, html'],
    [['report', '--region', 'eu-west-1 '], 'AWS region'],
    [['report', '--account', '1111'], '12-digit'],
    [['report', '--mode', 'account', '--account', '111111111111'], 'does not apply'],
    [['report', '--mode', 'org'], 'Allowed choices are organization, account'],
  ])('bad usage %j exits 2 with no AWS call', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(totalCalls(mocks)).toBe(0);
  });
});

describe('report --mode account', () => {
  beforeEach(() => {
    const results = evaluationResults('111111111111').map((r) => ({
      ...r,
      EvaluationResultIdentifier: {
        ...r.EvaluationResultIdentifier,
        EvaluationResultQualifier: {
          ...r.EvaluationResultIdentifier.EvaluationResultQualifier,
          ConfigRuleName: CONFIG_RULE_NAME,
        },
      },
    }));
    mocks.config
      .on(DescribeConfigRulesCommand)
      .callsFake((input: { NextToken?: string }) =>
        input.NextToken
          ? { ConfigRules: [{ ConfigRuleName: CONFIG_RULE_NAME }] }
          : { ConfigRules: [{ ConfigRuleName: 'unrelated' }], NextToken: 't2' },
      );
    mocks.config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .callsFake((input: { NextToken?: string }) =>
        input.NextToken
          ? { EvaluationResults: results.slice(2) }
          : { EvaluationResults: results.slice(0, 2), NextToken: 'n2' },
      );
    mocks.iam.on(ListUsersCommand).callsFake((input: { Marker?: string }) =>
      input.Marker
        ? {
            Users: [
              { UserName: 'bob', UserId: 'AIDAEXAMPLE000000002' },
              { UserName: 'breakglass', UserId: 'AIDAEXAMPLE000000003' },
            ],
            IsTruncated: false,
          }
        : { Users: [{ UserName: 'alice', UserId: 'AIDAEXAMPLE000000001' }], IsTruncated: true, Marker: 'm2' },
    );
  });

  it('reads the rule in the current account with names from IAM, without the aggregator', async () => {
    const { code, report } = await json(['--mode', 'account']);
    expect(code).toBe(1);
    expect(report.accounts).toEqual([
      { accountId: CALLER_ACCOUNT, accountName: '', users: 3, nonCompliant: 1, excluded: 1 },
    ]);
    expect(report.rows.map((r) => r.userName)).toEqual(['alice', 'bob', 'breakglass']);
    expect(
      mocks.config.commandCalls(GetComplianceDetailsByConfigRuleCommand)[0]?.args[0].input,
    ).toMatchObject({
      ConfigRuleName: CONFIG_RULE_NAME,
      Limit: 100,
    });
    expect(mocks.config.commandCalls(DescribeAggregateComplianceByConfigRulesCommand)).toHaveLength(0);
    expect(mocks.organizations.calls()).toHaveLength(0);
    expect(mocks.iam.commandCalls(ListUsersCommand)).toHaveLength(2);
  });

  it('fails with a named reason when the rule is not in this account', async () => {
    mocks.config.on(DescribeConfigRulesCommand).resolves({ ConfigRules: [] });
    const { code, report } = await json(['--mode', 'account']);
    expect(code).toBe(1);
    expect(report.accounts[0]?.error).toContain('no rule of the conformance pack in eu-west-1');
  });
});
