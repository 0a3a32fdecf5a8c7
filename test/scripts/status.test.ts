import { DescribeStacksCommand, ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeConfigRuleEvaluationStatusCommand,
  DescribeConfigRulesCommand,
  DescribeConformancePackStatusCommand,
  DescribeRemediationExecutionStatusCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
} from '@aws-sdk/client-config-service';
import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ACCOUNT_CONFORMANCE_PACK_NAME,
  ACCOUNT_STACK_NAME,
  CONFIG_RULE_NAME,
  EXCLUSIONS_ROLE_NAME,
  memberConformancePackPrefix,
  memberRuleNamePrefix,
  ORG_CONFORMANCE_PACK_NAME,
  STACKSET_NAME,
} from '../../conformance-pack/names';
import { UNVERIFIED_CAUSES } from '../../scripts/lib/health';
import {
  type AccountSpec,
  type AwsMocks,
  accountOf,
  awsError,
  CALLER_ACCOUNT,
  manyAccounts,
  mockAws,
  organizationAccounts,
  runCli,
  totalCalls,
} from './lib/harness';

const MANAGEMENT = '555555555555';
const OK_TIME = new Date('2025-08-27T01:00:00Z');

interface Fixture {
  accounts: AccountSpec[];
  /** account -> [Status, DetailedStatus] */
  instances: Record<string, [string, string]>;
  /** account -> [Status, ErrorCode?, ErrorMessage?] */
  packs: Record<string, [string, string?, string?]>;
  /** account -> evaluation status */
  rules: Record<string, { ok?: Date; failed?: Date; code?: string; message?: string }>;
  /** account -> latest remediation execution per user (none when absent) */
  remediations?: Record<string, Remediation[]>;
}

interface Remediation {
  state: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';
  at: Date;
  message?: string;
}

const ASSUME_ROLE_ERROR =
  'Step fails when it is Verifying the defined assume role. The defined assume role is unable to be assumed.';

/** DescribeRemediationExecutionStatus in pages of Limit (at most 100), checked against the rule name. */
function installRemediations(
  mocks: AwsMocks,
  ruleNameOf: (account: string) => string,
  remediations: Record<string, Remediation[]>,
): void {
  mocks.config
    .on(DescribeRemediationExecutionStatusCommand)
    .callsFake(async (input: { ConfigRuleName: string; Limit?: number; NextToken?: string }, getClient) => {
      const account = await accountOf(getClient);
      if (input.ConfigRuleName !== ruleNameOf(account)) throw new Error('wrong rule');
      if ((input.Limit ?? 0) > 100) throw awsError('InvalidParameterValueException');
      const all = (remediations[account] ?? []).map((r, i) => ({
        ResourceKey: { resourceType: 'AWS::IAM::User', resourceId: `AIDA${String(i).padStart(5, '0')}` },
        State: r.state,
        InvocationTime: r.at,
        LastUpdatedTime: r.at,
        StepDetails:
          r.state === 'FAILED'
            ? [
                { Name: 'verifyRole', State: 'FAILED', ...(r.message ? { ErrorMessage: r.message } : {}) },
                { Name: 'revoke', State: 'PENDING' },
              ]
            : [{ Name: 'revoke', State: r.state === 'SUCCEEDED' ? 'SUCCEEDED' : 'PENDING' }],
      }));
      const start = Number(input.NextToken ?? 0);
      const end = start + (input.Limit ?? 100);
      return {
        RemediationExecutionStatuses: all.slice(start, end),
        ...(end < all.length ? { NextToken: String(end) } : {}),
      };
    });
}

function install(mocks: AwsMocks, f: Fixture, pageSize = 50): void {
  organizationAccounts(mocks, f.accounts);
  mocks.organizations
    .on(DescribeOrganizationCommand)
    .resolves({ Organization: { MasterAccountId: MANAGEMENT } });
  const instances = Object.entries(f.instances).map(([Account, [Status, DetailedStatus]]) => ({
    Account,
    Region: 'eu-west-1',
    Status,
    StackInstanceStatus: { DetailedStatus },
    ...(Status === 'CURRENT' ? {} : { StatusReason: 'Account 1 should have ...' }),
  }));
  mocks.cloudFormation.on(ListStackInstancesCommand).callsFake((input: { NextToken?: string }) => {
    const start = Number(input.NextToken ?? 0);
    const end = start + pageSize;
    return {
      Summaries: instances.slice(start, end),
      ...(end < instances.length ? { NextToken: String(end) } : {}),
    };
  });
  const packs = Object.entries(f.packs).map(([AccountId, [Status, ErrorCode, ErrorMessage]]) => ({
    AccountId,
    ConformancePackName: `${memberConformancePackPrefix()}abc`,
    Status,
    ...(ErrorCode ? { ErrorCode } : {}),
    ...(ErrorMessage ? { ErrorMessage } : {}),
  }));
  mocks.config
    .on(GetOrganizationConformancePackDetailedStatusCommand)
    .callsFake((input: { NextToken?: string; Limit?: number }) => {
      if ((input.Limit ?? 0) > 100) throw awsError('InvalidLimitException');
      const start = Number(input.NextToken ?? 0);
      const end = start + (input.Limit ?? 100);
      return {
        OrganizationConformancePackDetailedStatuses: packs.slice(start, end),
        ...(end < packs.length ? { NextToken: String(end) } : {}),
      };
    });
  mocks.config.on(DescribeConfigRulesCommand).callsFake(async (_input, getClient) => {
    const account = await accountOf(getClient);
    return {
      ConfigRules: f.rules[account]
        ? [{ ConfigRuleName: 'other' }, { ConfigRuleName: `${memberRuleNamePrefix()}${account.slice(0, 4)}` }]
        : [{ ConfigRuleName: 'other' }],
    };
  });
  mocks.config
    .on(DescribeConfigRuleEvaluationStatusCommand)
    .callsFake(async (input: { ConfigRuleNames: string[] }, getClient) => {
      const account = await accountOf(getClient);
      const r = f.rules[account];
      if (input.ConfigRuleNames[0] !== `${memberRuleNamePrefix()}${account.slice(0, 4)}`)
        throw new Error('wrong rule');
      return {
        ConfigRulesEvaluationStatus: [
          {
            ConfigRuleName: input.ConfigRuleNames[0],
            ...(r?.ok ? { LastSuccessfulEvaluationTime: r.ok } : {}),
            ...(r?.failed ? { LastFailedEvaluationTime: r.failed } : {}),
            ...(r?.code ? { LastErrorCode: r.code } : {}),
            ...(r?.message ? { LastErrorMessage: r.message } : {}),
          },
        ],
      };
    });
  installRemediations(
    mocks,
    (account) => `${memberRuleNamePrefix()}${account.slice(0, 4)}`,
    f.remediations ?? {},
  );
}

const MIXED: Fixture = {
  accounts: [
    ['111111111111', 'workloads'],
    ['222222222222', 'sandbox'],
    ['444444444444', 'new'],
    [MANAGEMENT, 'management'],
    ['666666666666', 'closed', 'SUSPENDED'],
  ],
  instances: {
    '111111111111': ['CURRENT', 'SUCCEEDED'],
    '222222222222': ['CURRENT', 'SUCCEEDED'],
    '444444444444': ['OUTDATED', 'FAILED'],
  },
  packs: {
    '111111111111': ['CREATE_SUCCESSFUL'],
    '222222222222': ['UPDATE_SUCCESSFUL'],
    '444444444444': [
      'CREATE_FAILED',
      'InsufficientPermissionsException',
      'The rule cannot invoke the function',
    ],
    [MANAGEMENT]: ['CREATE_SUCCESSFUL'],
  },
  rules: {
    '111111111111': { ok: OK_TIME },
    '222222222222': {
      ok: new Date('2025-08-26T01:00:00Z'),
      failed: OK_TIME,
      code: 'Lambda.ExclusionListUnavailableError',
      message: 'exclusion list unreadable',
    },
  },
};

interface JsonStatus {
  accountId: string;
  healthy: boolean;
  problems: string[];
  evaluator: { summary: string };
  pack: { summary: string };
  rule: { kind: string; lastSuccessfulEvaluation?: string; lastError?: string | null };
  remediation: {
    kind: string;
    executions?: number;
    failed?: number;
    succeeded?: number;
    newestFailure?: {
      resourceId: string;
      at: string | null;
      step: string | null;
      message: string | null;
    } | null;
    error?: string;
  };
}

let mocks: AwsMocks;
beforeEach(() => {
  mocks = mockAws();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function json(args: string[] = []) {
  const run = await runCli(['status', '--output', 'json', ...args]);
  return { ...run, rows: JSON.parse(run.stdout) as JsonStatus[] };
}

describe('status (organization)', () => {
  it('names each unhealthy account and why; reads the rule through the exclusions role', async () => {
    install(mocks, MIXED);
    mocks.sts
      .on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${MANAGEMENT}:role/${EXCLUSIONS_ROLE_NAME}` })
      .rejects(awsError('AccessDenied', 'no such role'));
    const { code, rows, stderr } = await json();
    expect(code).toBe(1);
    const byId = new Map(rows.map((r) => [r.accountId, r]));
    expect(rows.map((r) => r.accountId)).toEqual([
      '111111111111',
      '222222222222',
      '444444444444',
      MANAGEMENT,
    ]);

    expect(byId.get('111111111111')).toMatchObject({
      healthy: true,
      problems: [],
      rule: { kind: 'found', lastSuccessfulEvaluation: OK_TIME.toISOString(), lastError: null },
    });
    expect(byId.get('222222222222')?.healthy).toBe(false);
    expect(byId.get('222222222222')?.problems[0]).toContain(
      'last evaluation failed at 2025-08-27T01:00:00.000Z: Lambda.ExclusionListUnavailableError: exclusion list unreadable',
    );
    expect(byId.get('444444444444')?.problems).toEqual([
      'StackSet instance eu-west-1 OUTDATED/FAILED: Account 1 should have ...',
      'conformance pack CREATE_FAILED (InsufficientPermissionsException: The rule cannot invoke the function)',
    ]);
    const management = byId.get(MANAGEMENT);
    expect(management?.problems[0]).toMatch(/^pack without evaluator: .*management account/);
    expect(management?.problems[1]).toContain('rule status unavailable');
    expect(management?.problems[1]).toContain('AccessDenied');

    expect(mocks.cloudFormation.commandCalls(ListStackInstancesCommand)[0]?.args[0].input).toMatchObject({
      StackSetName: STACKSET_NAME,
      CallAs: 'DELEGATED_ADMIN',
    });
    expect(
      mocks.config.commandCalls(GetOrganizationConformancePackDetailedStatusCommand)[0]?.args[0].input,
    ).toMatchObject({ OrganizationConformancePackName: ORG_CONFORMANCE_PACK_NAME, Limit: 100 });
    expect(stderr).toContain('status: 3 of 4 account(s) not healthy');
  });

  it('prints a table with one row per account', async () => {
    install(mocks, MIXED);
    const { stdout } = await runCli(['status']);
    expect(stdout.split('\n')[0]).toMatch(
      /^ACCOUNT\s+NAME\s+STACKSET\s+PACK\s+LAST EVALUATION\s+LAST ERROR\s+REMEDIATION\s+HEALTH$/,
    );
    expect(stdout).toMatch(
      /111111111111\s+workloads\s+CURRENT\s+CREATE_SUCCESSFUL\s+2025-08-27T01:00:00.000Z\s+-\s+none\s+ok/,
    );
    expect(stdout).toMatch(
      /222222222222\s+sandbox\s+CURRENT\s+UPDATE_SUCCESSFUL\s+2025-08-26T01:00:00.000Z\s+Lambda.ExclusionListUnavailableError/,
    );
  });

  it('exits 0 when every account is healthy, across pages (>100 accounts)', async () => {
    const accounts = manyAccounts(130);
    install(
      mocks,
      {
        accounts,
        instances: Object.fromEntries(accounts.map(([id]) => [id, ['CURRENT', 'SUCCEEDED']])),
        packs: Object.fromEntries(accounts.map(([id]) => [id, ['CREATE_SUCCESSFUL']])),
        rules: Object.fromEntries(accounts.map(([id]) => [id, { ok: OK_TIME }])),
      },
      50,
    );
    const { code, rows } = await json(['--concurrency', '16']);
    expect(rows).toHaveLength(130);
    expect(rows.every((r) => r.healthy)).toBe(true);
    expect(code).toBe(0);
    expect(mocks.cloudFormation.commandCalls(ListStackInstancesCommand)).toHaveLength(3);
    expect(mocks.config.commandCalls(GetOrganizationConformancePackDetailedStatusCommand)).toHaveLength(2);
  });

  it('reports an account that has neither piece as not deployed', async () => {
    install(mocks, { ...MIXED, accounts: [['777777777777', 'fresh']], instances: {}, packs: {}, rules: {} });
    const { code, rows } = await json();
    expect(code).toBe(1);
    expect(rows[0]?.problems).toEqual([
      'not deployed: neither the StackSet instance nor the conformance pack is in this account',
    ]);
    expect(mocks.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('treats the management account without either piece as not covered (healthy, with a note)', async () => {
    install(mocks, {
      accounts: [
        ['111111111111', 'workloads'],
        [MANAGEMENT, 'management'],
      ],
      instances: { '111111111111': ['CURRENT', 'SUCCEEDED'] },
      packs: { '111111111111': ['CREATE_SUCCESSFUL'] },
      rules: { '111111111111': { ok: OK_TIME } },
    });
    const { code, stdout } = await runCli(['status']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/555555555555\s+management\s+absent\s+absent\s+-\s+-\s+-\s+ok \(see note\)$/m);
    expect(stdout).toMatch(/^Notes\n555555555555 management: management account: not reached/m);
  });

  it('reports throttling in one account and still reports the others', async () => {
    install(mocks, MIXED);
    mocks.config.on(DescribeConfigRulesCommand).callsFake(async (_input, getClient) => {
      const account = await accountOf(getClient);
      if (account === '111111111111') throw awsError('ThrottlingException', 'Rate exceeded');
      return { ConfigRules: [{ ConfigRuleName: `${memberRuleNamePrefix()}${account.slice(0, 4)}` }] };
    });
    const { code, rows } = await json();
    expect(code).toBe(1);
    expect(rows[0]?.problems[0]).toContain('throttled after retries');
    expect(rows[1]?.rule.kind).toBe('found');
  });

  it('fails as a whole (exit 1, one line) when the org-level read is denied', async () => {
    install(mocks, MIXED);
    mocks.cloudFormation
      .on(ListStackInstancesCommand)
      .rejects(awsError('AccessDenied', 'not delegated admin'));
    const { code, stdout, stderr } = await runCli(['status']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('not delegated admin');
  });

  const HEALTHY: Fixture = {
    accounts: [
      ['111111111111', 'workloads'],
      ['222222222222', 'sandbox'],
    ],
    instances: { '111111111111': ['CURRENT', 'SUCCEEDED'], '222222222222': ['CURRENT', 'SUCCEEDED'] },
    packs: { '111111111111': ['CREATE_SUCCESSFUL'], '222222222222': ['CREATE_SUCCESSFUL'] },
    rules: { '111111111111': { ok: OK_TIME }, '222222222222': { ok: OK_TIME } },
  };
  const T1 = new Date('2025-08-27T02:00:00Z');
  const T2 = new Date('2025-08-27T02:30:00Z');

  it('names the remediation role ARN form when remediations fail to assume the role (exit 1)', async () => {
    install(mocks, {
      ...HEALTHY,
      remediations: {
        '111111111111': [
          { state: 'SUCCEEDED', at: T1 },
          { state: 'FAILED', at: T1, message: 'older failure' },
          { state: 'FAILED', at: T2, message: ASSUME_ROLE_ERROR },
        ],
        '222222222222': [{ state: 'SUCCEEDED', at: T1 }],
      },
    });
    const { code, rows, stderr } = await json();
    expect(code).toBe(1);
    expect(rows[0]).toMatchObject({
      accountId: '111111111111',
      healthy: false,
      remediation: {
        kind: 'found',
        executions: 3,
        failed: 2,
        succeeded: 1,
        newestFailure: {
          resourceId: 'AIDA00002',
          at: T2.toISOString(),
          step: 'verifyRole',
          message: ASSUME_ROLE_ERROR,
        },
      },
    });
    expect(rows[0]?.problems).toEqual([
      `remediation failed for 2 of 3 user(s); newest ${T2.toISOString()} for AIDA00002 at step verifyRole: ${ASSUME_ROLE_ERROR}; likely cause: ${UNVERIFIED_CAUSES.remediationRole}`,
    ]);
    expect(rows[1]).toMatchObject({ healthy: true, problems: [], remediation: { succeeded: 1, failed: 0 } });
    expect(stderr).toContain('status: 1 of 2 account(s) not healthy');
    // Read inside each member, through the exclusions role, with the member's suffixed rule name.
    expect(
      mocks.config.commandCalls(DescribeRemediationExecutionStatusCommand).map((c) => c.args[0].input),
    ).toEqual(
      expect.arrayContaining([
        { ConfigRuleName: `${memberRuleNamePrefix()}1111`, Limit: 100 },
        { ConfigRuleName: `${memberRuleNamePrefix()}2222`, Limit: 100 },
      ]),
    );

    const table = await runCli(['status']);
    expect(table.stdout).toMatch(/111111111111\s+workloads\s+.*\s+2 failed, 1 ok\s+NOT HEALTHY \(1\)$/m);
    expect(table.stdout).toMatch(/^Problems\n111111111111 workloads\n {2}- remediation failed for 2 of 3/m);
    expect(table.stdout).toContain('remediation role ARN form — an unverified choice');
    expect(table.stdout).toMatch(/222222222222\s+sandbox\s+.*\s+1 ok\s+ok$/m);
  });

  it('is healthy when every remediation succeeded, reading every page (>100 executions)', async () => {
    const many = (n: number): Remediation[] =>
      Array.from({ length: n }, () => ({ state: 'SUCCEEDED', at: T1 }));
    install(mocks, { ...HEALTHY, remediations: { '111111111111': many(230), '222222222222': many(100) } });
    const { code, rows } = await json();
    expect(code).toBe(0);
    expect(rows.map((r) => [r.healthy, r.remediation.executions, r.remediation.succeeded])).toEqual([
      [true, 230, 230],
      [true, 100, 100],
    ]);
    const calls = mocks.config
      .commandCalls(DescribeRemediationExecutionStatusCommand)
      .map((c) => c.args[0].input);
    expect(calls.filter((c) => c.ConfigRuleName?.endsWith('1111')).map((c) => c.NextToken)).toEqual([
      undefined,
      '100',
      '200',
    ]);
    expect(calls.filter((c) => c.ConfigRuleName?.endsWith('2222'))).toHaveLength(1);
  });

  it('a failure on the last page still counts, and the newest failure is found across pages', async () => {
    const remediations: Remediation[] = Array.from({ length: 150 }, () => ({ state: 'SUCCEEDED', at: T1 }));
    remediations.push({ state: 'FAILED', at: T2, message: 'IAMResourceId not found' });
    install(mocks, { ...HEALTHY, remediations: { '111111111111': remediations } });
    const { rows } = await json();
    expect(rows[0]?.remediation).toMatchObject({ executions: 151, failed: 1 });
    expect(rows[0]?.problems).toEqual([
      `remediation failed for 1 of 151 user(s); newest ${T2.toISOString()} for AIDA00150 at step verifyRole: IAMResourceId not found`,
    ]);
  });

  it('reports AccessDenied on the remediation status in one account and the others as usual', async () => {
    install(mocks, { ...HEALTHY, remediations: { '222222222222': [{ state: 'SUCCEEDED', at: T1 }] } });
    mocks.config.on(DescribeRemediationExecutionStatusCommand).callsFake(async (_input, getClient) => {
      const account = await accountOf(getClient);
      if (account === '111111111111')
        throw awsError(
          'AccessDeniedException',
          'not authorized to perform: config:DescribeRemediationExecutionStatus',
        );
      return {
        RemediationExecutionStatuses: [
          { State: 'SUCCEEDED', ResourceKey: { resourceType: 'AWS::IAM::User', resourceId: 'AIDA1' } },
        ],
      };
    });
    const { code, rows } = await json();
    expect(code).toBe(1);
    expect(rows[0]).toMatchObject({
      accountId: '111111111111',
      healthy: false,
      rule: { kind: 'found', lastSuccessfulEvaluation: OK_TIME.toISOString() },
      remediation: { kind: 'unreadable' },
    });
    expect(rows[0]?.problems).toEqual([
      "remediation status unavailable: AccessDeniedException: not authorized to perform: config:DescribeRemediationExecutionStatus (check the role's permissions in that account)",
    ]);
    expect(rows[1]).toMatchObject({
      accountId: '222222222222',
      healthy: true,
      remediation: { succeeded: 1 },
    });
  });

  it('names the Fn::Sub function ARN when Config cannot invoke the deployed evaluator', async () => {
    install(mocks, {
      ...HEALTHY,
      rules: {
        ...HEALTHY.rules,
        '222222222222': {
          failed: OK_TIME,
          code: 'InsufficientPermissionsException',
          message: 'The rule cannot invoke the function',
        },
      },
    });
    const { code, rows } = await json();
    expect(code).toBe(1);
    expect(rows[1]?.problems).toEqual([
      `last evaluation failed at ${OK_TIME.toISOString()}: InsufficientPermissionsException: The rule cannot invoke the function (Config could not invoke the evaluator; likely cause: ${UNVERIFIED_CAUSES.functionArn})`,
    ]);
    expect(rows[0]?.healthy).toBe(true);
  });

  it('does not read remediations where the rule is not found', async () => {
    install(mocks, { ...HEALTHY, rules: { '111111111111': { ok: OK_TIME } } });
    const { rows } = await json();
    expect(rows[1]).toMatchObject({
      healthy: false,
      rule: { kind: 'not-found' },
      remediation: { kind: 'not-checked' },
    });
    expect(
      mocks.config
        .commandCalls(DescribeRemediationExecutionStatusCommand)
        .map((c) => c.args[0].input.ConfigRuleName),
    ).toEqual([`${memberRuleNamePrefix()}1111`]);
  });

  it.each([
    [['status', '--output', 'csv'], 'Allowed choices are table, json'],
    [['status', '--concurrency', 'x'], 'whole number'],
    [['status', 'extra'], 'too many arguments'],
    [['status', '--region', 'eu west 1'], 'AWS region'],
    [['status', '--region', ''], 'AWS region'],
  ])('bad usage %j exits 2 with no AWS call', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(totalCalls(mocks)).toBe(0);
  });
});

describe('status --mode account', () => {
  function installAccount(
    stack: 'ok' | 'missing',
    rule: { ok?: Date; failed?: Date },
    remediations: Remediation[] = [],
  ) {
    if (stack === 'ok')
      mocks.cloudFormation.on(DescribeStacksCommand, { StackName: ACCOUNT_STACK_NAME }).resolves({
        Stacks: [{ StackName: ACCOUNT_STACK_NAME, StackStatus: 'UPDATE_COMPLETE', CreationTime: OK_TIME }],
      });
    else
      mocks.cloudFormation
        .on(DescribeStacksCommand)
        .rejects(awsError('ValidationError', `Stack with id ${ACCOUNT_STACK_NAME} does not exist`));
    mocks.config.on(DescribeConformancePackStatusCommand).resolves({
      ConformancePackStatusDetails: [
        {
          ConformancePackName: ACCOUNT_CONFORMANCE_PACK_NAME,
          ConformancePackId: 'id',
          ConformancePackArn: 'arn',
          ConformancePackState: 'CREATE_COMPLETE',
          StackArn: 'arn',
          LastUpdateRequestedTime: OK_TIME,
        },
      ],
    });
    mocks.config
      .on(DescribeConfigRulesCommand)
      .callsFake(() => ({ ConfigRules: [{ ConfigRuleName: CONFIG_RULE_NAME }] }));
    mocks.config.on(DescribeConfigRuleEvaluationStatusCommand).resolves({
      ConfigRulesEvaluationStatus: [
        {
          ConfigRuleName: CONFIG_RULE_NAME,
          ...(rule.ok ? { LastSuccessfulEvaluationTime: rule.ok } : {}),
          ...(rule.failed ? { LastFailedEvaluationTime: rule.failed, LastErrorCode: 'Timeout' } : {}),
        },
      ],
    });
    installRemediations(mocks, () => CONFIG_RULE_NAME, { [CALLER_ACCOUNT]: remediations });
  }

  it('shows the account stack and the pack, healthy → exit 0, without Organizations or roles', async () => {
    installAccount('ok', { ok: OK_TIME });
    const { code, stdout } = await runCli(['status', '--mode', 'account']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^ACCOUNT\s+NAME\s+STACK\s+PACK/);
    expect(stdout).toMatch(
      /333333333333\s+UPDATE_COMPLETE\s+CREATE_COMPLETE\s+2025-08-27T01:00:00.000Z\s+-\s+none\s+ok/,
    );
    expect(mocks.organizations.calls()).toHaveLength(0);
    expect(mocks.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(
      mocks.config.commandCalls(DescribeConformancePackStatusCommand)[0]?.args[0].input.ConformancePackNames,
    ).toEqual([ACCOUNT_CONFORMANCE_PACK_NAME]);
  });

  it('reads remediations with its own credentials; the cause names the role, not the org-pack choice', async () => {
    installAccount('ok', { ok: OK_TIME }, [
      { state: 'FAILED', at: OK_TIME, message: ASSUME_ROLE_ERROR },
      { state: 'SUCCEEDED', at: OK_TIME },
    ]);
    const { code, rows } = await json(['--mode', 'account']);
    expect(code).toBe(1);
    expect(rows[0]?.problems).toHaveLength(1);
    expect(rows[0]?.problems[0]).toContain(
      'likely cause: the runbook cannot assume iam-unused-cleanup-remediation',
    );
    expect(rows[0]?.problems[0]).not.toContain('unverified');
    expect(
      mocks.config.commandCalls(DescribeRemediationExecutionStatusCommand)[0]?.args[0].input.ConfigRuleName,
    ).toBe(CONFIG_RULE_NAME);
    expect(mocks.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('a missing remediation configuration is named', async () => {
    installAccount('ok', { ok: OK_TIME });
    mocks.config
      .on(DescribeRemediationExecutionStatusCommand)
      .rejects(awsError('NoSuchRemediationConfigurationException', 'none'));
    const { code, rows } = await json(['--mode', 'account']);
    expect(code).toBe(1);
    expect(rows[0]?.remediation).toEqual({ kind: 'not-configured', ruleName: CONFIG_RULE_NAME });
    expect(rows[0]?.problems[0]).toContain(`the rule ${CONFIG_RULE_NAME} has no remediation configuration`);
  });

  it('names a pack without its stack, and a rule that never evaluated', async () => {
    installAccount('missing', {});
    const { code, rows } = await json(['--mode', 'account']);
    expect(code).toBe(1);
    expect(rows[0]?.problems).toEqual([
      `pack without evaluator: the rule has no Lambda to call here (no account stack ${ACCOUNT_STACK_NAME}); deploy the account stack in this account and region`,
      'the rule has not completed an evaluation yet',
    ]);
  });
});
