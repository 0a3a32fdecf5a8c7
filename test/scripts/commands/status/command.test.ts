import { DescribeStacksCommand, ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeConfigRuleEvaluationStatusCommand,
  DescribeConfigRulesCommand,
  DescribeConformancePackStatusCommand,
  DescribeOrganizationConformancePacksCommand,
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
} from '../../../../conformance-pack/names';
import { PACK_NOT_DEPLOYED } from '../../../../scripts/commands/status/health';
import { UNVERIFIED_CAUSES } from '../../../../scripts/commands/status/model';
import { EXCLUDED_NOTE, MANAGEMENT_NOT_COVERED } from '../../../../scripts/lib/aws/organization';
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
} from '../../../support/harness';

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
  /** The pack's ExcludedAccounts. @default [MANAGEMENT], as the deployment always lists it */
  excluded?: string[];
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
  const excluded = f.excluded ?? [MANAGEMENT];
  mocks.config
    .on(DescribeOrganizationConformancePacksCommand)
    .callsFake(async (input: { OrganizationConformancePackNames?: string[] }, getClient) => {
      if (input.OrganizationConformancePackNames?.[0] !== ORG_CONFORMANCE_PACK_NAME)
        throw new Error('wrong pack');
      // The delegated admin's own call: no role is assumed for it.
      if ((await accountOf(getClient)) !== CALLER_ACCOUNT)
        throw awsError('OrganizationAccessDeniedException');
      return {
        OrganizationConformancePacks: [
          {
            OrganizationConformancePackName: ORG_CONFORMANCE_PACK_NAME,
            OrganizationConformancePackArn: 'arn',
            LastUpdateTime: OK_TIME,
            ExcludedAccounts: excluded,
          },
        ],
      };
    });
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

/** Two accounts with both pieces and a successful evaluation. */
const HEALTHY_PAIR: Fixture = {
  accounts: [
    ['111111111111', 'workloads'],
    ['222222222222', 'sandbox'],
  ],
  instances: { '111111111111': ['CURRENT', 'SUCCEEDED'], '222222222222': ['CURRENT', 'SUCCEEDED'] },
  packs: { '111111111111': ['CREATE_SUCCESSFUL'], '222222222222': ['CREATE_SUCCESSFUL'] },
  rules: { '111111111111': { ok: OK_TIME }, '222222222222': { ok: OK_TIME } },
};

const MIXED: Fixture = {
  accounts: [
    ['111111111111', 'workloads'],
    ['222222222222', 'sandbox'],
    ['444444444444', 'new'],
    [MANAGEMENT, 'management'],
    ['666666666666', 'closed', 'SUSPENDED'],
    ['888888888888', 'legacy'],
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
    '888888888888': ['CREATE_SUCCESSFUL'],
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
  scope?: string;
  healthy: boolean;
  problems: string[];
  note?: string;
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
      .on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::888888888888:role/${EXCLUSIONS_ROLE_NAME}` })
      .rejects(awsError('AccessDenied', 'no such role'));
    const { code, rows, stderr } = await json();
    expect(code).toBe(1);
    const byId = new Map(rows.map((r) => [r.accountId, r]));
    expect(rows.map((r) => r.accountId)).toEqual([
      '111111111111',
      '222222222222',
      '444444444444',
      MANAGEMENT,
      '888888888888',
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
    const legacy = byId.get('888888888888');
    expect(legacy?.scope).toBe('included');
    expect(legacy?.problems[0]).toBe(
      'pack without evaluator: the rule has no Lambda to call here (no StackSet instance); check the StackSet deployment targets',
    );
    expect(legacy?.problems[1]).toContain('rule status unavailable');
    expect(legacy?.problems[1]).toContain('AccessDenied');
    // Excluded (as always): a leftover pack there is a note, and its rule is not read (no role there).
    expect(byId.get(MANAGEMENT)).toMatchObject({
      scope: 'excluded',
      healthy: true,
      problems: [],
      note: `${EXCLUDED_NOTE}, yet the conformance pack (CREATE_SUCCESSFUL) is still here: its rule has no evaluator to call until Config removes the pack from this excluded account`,
    });
    expect(mocks.sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).not.toContain(
      `arn:aws:iam::${MANAGEMENT}:role/${EXCLUSIONS_ROLE_NAME}`,
    );

    expect(mocks.cloudFormation.commandCalls(ListStackInstancesCommand)[0]?.args[0].input).toMatchObject({
      StackSetName: STACKSET_NAME,
      CallAs: 'DELEGATED_ADMIN',
    });
    expect(
      mocks.config.commandCalls(GetOrganizationConformancePackDetailedStatusCommand)[0]?.args[0].input,
    ).toMatchObject({ OrganizationConformancePackName: ORG_CONFORMANCE_PACK_NAME, Limit: 100 });
    expect(stderr).toContain('status: 3 of 5 account(s) not healthy');
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

  it('reports an account that has neither piece and is not excluded as not deployed', async () => {
    install(mocks, {
      ...MIXED,
      accounts: [['777777777777', 'fresh']],
      instances: {},
      packs: {},
      rules: {},
      excluded: [MANAGEMENT, '444444444444'],
    });
    const { code, rows } = await json();
    expect(code).toBe(1);
    expect(rows[0]).toMatchObject({ scope: 'included', healthy: false });
    expect(rows[0]?.problems).toEqual([
      'not deployed: neither the StackSet instance nor the conformance pack is in this account',
    ]);
    expect(rows[0]?.note).toBeUndefined();
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
    const { rows } = await json();
    expect(rows[1]).toEqual(
      expect.objectContaining({
        scope: 'excluded',
        healthy: true,
        problems: [],
        note: MANAGEMENT_NOT_COVERED,
      }),
    );
  });

  it('an excluded account without either piece is healthy with a note (exit 0); only the excluded are', async () => {
    const fixture: Fixture = {
      accounts: [
        ['111111111111', 'workloads'],
        ['444444444444', 'partner'],
        [MANAGEMENT, 'management'],
      ],
      instances: { '111111111111': ['CURRENT', 'SUCCEEDED'] },
      packs: { '111111111111': ['CREATE_SUCCESSFUL'] },
      rules: { '111111111111': { ok: OK_TIME } },
      excluded: [MANAGEMENT, '444444444444'],
    };
    install(mocks, fixture);
    const { code, rows, stderr } = await json();
    expect(code).toBe(0);
    expect(stderr).not.toContain('not healthy');
    expect(rows.map((r) => [r.accountId, r.scope, r.healthy, r.problems, r.note])).toEqual([
      ['111111111111', 'included', true, [], undefined],
      ['444444444444', 'excluded', true, [], EXCLUDED_NOTE],
      [MANAGEMENT, 'excluded', true, [], MANAGEMENT_NOT_COVERED],
    ]);
    // Read once, with the operator's own credentials in the delegated-admin account.
    const reads = mocks.config.commandCalls(DescribeOrganizationConformancePacksCommand);
    expect(reads).toHaveLength(1);
    expect(reads[0]?.args[0].input).toEqual({
      OrganizationConformancePackNames: [ORG_CONFORMANCE_PACK_NAME],
    });
    expect(mocks.sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::111111111111:role/${EXCLUSIONS_ROLE_NAME}`,
    ]);

    const table = await runCli(['status']);
    expect(table.stdout).toMatch(/^444444444444\s+partner\s+absent\s+absent\s+-\s+-\s+-\s+ok \(see note\)$/m);
    expect(table.stdout).toContain(
      `\nNotes\n444444444444 partner: ${EXCLUDED_NOTE}\n555555555555 management:`,
    );

    // The same account, no longer excluded: not deployed again.
    mocks = mockAws();
    install(mocks, { ...fixture, excluded: [MANAGEMENT] });
    const again = await json();
    expect(again.code).toBe(1);
    expect(again.rows[1]?.problems[0]).toMatch(/^not deployed: neither/);
  });

  it('an excluded account the StackSet still reaches is a note; a failed instance there is a problem', async () => {
    install(mocks, {
      accounts: [
        ['111111111111', 'workloads'],
        ['222222222222', 'partner'],
        ['444444444444', 'vendor'],
      ],
      instances: {
        '111111111111': ['CURRENT', 'SUCCEEDED'],
        '222222222222': ['CURRENT', 'SUCCEEDED'],
        '444444444444': ['OUTDATED', 'FAILED'],
      },
      packs: { '111111111111': ['CREATE_SUCCESSFUL'], '444444444444': ['DELETE_IN_PROGRESS'] },
      rules: { '111111111111': { ok: OK_TIME } },
      excluded: [MANAGEMENT, '222222222222', '444444444444'],
    });
    const { code, rows, stdout } = await json();
    expect(code).toBe(1);
    expect(rows[1]).toMatchObject({
      healthy: true,
      problems: [],
      note: `${EXCLUDED_NOTE}, yet its StackSet instance (CURRENT) is still here, unused: the StackSet deploys to whole OUs, and no rule calls the evaluator`,
    });
    expect(rows[2]).toMatchObject({
      healthy: false,
      pack: { present: true, summary: 'DELETE_IN_PROGRESS' },
      problems: ['StackSet instance eu-west-1 OUTDATED/FAILED: Account 1 should have ...'],
    });
    expect(rows[2]?.note).toContain('the conformance pack (DELETE_IN_PROGRESS) are still here');
    // With the evaluator alone there is no rule to read in an excluded account.
    expect(
      mocks.sts
        .commandCalls(AssumeRoleCommand)
        .map((c) => c.args[0].input.RoleArn)
        .sort(),
    ).toEqual([
      `arn:aws:iam::111111111111:role/${EXCLUSIONS_ROLE_NAME}`,
      `arn:aws:iam::444444444444:role/${EXCLUSIONS_ROLE_NAME}`,
    ]);
    expect(stdout).toBe(`${JSON.stringify(rows, null, 2)}\n`);
    const table = await runCli(['status']);
    // The note explains a failing excluded account too.
    expect(table.stdout).toMatch(/^Problems\n444444444444 vendor\n {2}- StackSet instance/m);
    expect(table.stdout).toMatch(/^444444444444 vendor: excluded from the deployment/m);
  });

  it('an excluded account still holding both pieces reads the rule; its failures are problems', async () => {
    install(mocks, {
      ...HEALTHY_PAIR,
      rules: { '111111111111': { ok: OK_TIME }, '222222222222': { failed: OK_TIME, code: 'Timeout' } },
      excluded: [MANAGEMENT, '222222222222'],
    });
    const { code, rows } = await json();
    expect(code).toBe(1);
    expect(rows[1]?.problems).toEqual([
      `last evaluation failed at ${OK_TIME.toISOString()}: Timeout (the evaluator fails closed; see its logs)`,
    ]);
    expect(rows[1]?.note).toContain('the rule may still evaluate and remediate here');
  });

  it.each([
    ['NoSuchOrganizationConformancePackException', true],
    ['an empty answer', false],
  ])('without the pack (%s) every account is unhealthy with the deploy fix', async (_label, rejects) => {
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
    const { code, rows, stderr } = await json();
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
    install(mocks, MIXED);
    mocks.config
      .on(DescribeOrganizationConformancePacksCommand)
      .rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const { code, stdout, stderr } = await runCli(['status']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('ThrottlingException: Rate exceeded');
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

  const HEALTHY = HEALTHY_PAIR;
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
