import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeConfigRulesCommand } from '@aws-sdk/client-config-service';
import { DescribeOrganizationCommand, ListAccountsCommand } from '@aws-sdk/client-organizations';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CONFIG_RULE_NAME,
  DEFAULT_EXCLUSION_PARAMETER_NAME,
  EXCLUSIONS_ROLE_NAME,
  RULE_PARAMETER_KEYS,
} from '../../../../conformance-pack/names';
import { ExclusionList } from '../../../../evaluator/exclusions';
import {
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

const dir = mkdtempSync(join(tmpdir(), 'iam-unused-exclusions-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface Param {
  value: string;
  version: number;
  /** ParameterType; String when absent. */
  type?: string;
  /** The Tier the last PutParameter asked for. */
  tier?: string;
}

/**
 * SSM per account: GetParameter/PutParameter act on a map keyed by the account the client
 * is in; an account without an entry has no parameter (ParameterNotFound).
 */
function fakeParameters(mocks: AwsMocks, params: Map<string, Param>): void {
  mocks.ssm.on(GetParameterCommand).callsFake(async (input: { Name: string }, getClient) => {
    const account = await accountOf(getClient);
    const p = params.get(account);
    if (!p) throw awsError('ParameterNotFound', `Parameter ${input.Name} not found.`);
    return { Parameter: { Name: input.Name, Value: p.value, Version: p.version, Type: p.type ?? 'String' } };
  });
  mocks.ssm
    .on(PutParameterCommand)
    .callsFake(
      async (input: { Value: string; Overwrite?: boolean; Type?: string; Tier?: string }, getClient) => {
        const account = await accountOf(getClient);
        const p = params.get(account);
        if (p && !input.Overwrite) throw awsError('ParameterAlreadyExists');
        // As SSM: an existing parameter cannot change type; leaving Type out keeps it.
        const type = p?.type ?? 'String';
        if (p && input.Type !== undefined && input.Type !== type)
          throw awsError(
            'HierarchyTypeMismatchException',
            'Parameter Store does not support changing a parameter type.',
          );
        const next = {
          value: input.Value,
          version: (p?.version ?? 0) + 1,
          ...(p?.type ? { type: p.type } : {}),
          ...(input.Tier ? { tier: input.Tier } : {}),
        };
        params.set(account, next);
        return { Version: next.version, Tier: 'Standard' };
      },
    );
}

const CUSTOM_LAMBDA = { Owner: 'CUSTOM_LAMBDA' as const };

/** Our rule in the current account, reading the exclusion list from `parameterName`. */
function ruleInAccount(mocks: AwsMocks, parameterName: string): void {
  mocks.config.on(DescribeConfigRulesCommand).resolves({
    ConfigRules: [
      { ConfigRuleName: 'some-other-rule', InputParameters: '{}', Source: CUSTOM_LAMBDA },
      {
        ConfigRuleName: CONFIG_RULE_NAME,
        Source: CUSTOM_LAMBDA,
        InputParameters: JSON.stringify({
          [RULE_PARAMETER_KEYS.maxAgeDays]: '90',
          [RULE_PARAMETER_KEYS.exclusionParameterName]: parameterName,
        }),
      },
    ],
  });
}

function putsFor(mocks: AwsMocks) {
  return mocks.ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input);
}

let mocks: AwsMocks;
beforeEach(() => {
  mocks = mockAws();
  organizationAccounts(mocks, [
    ['111111111111', 'workloads'],
    ['222222222222', 'sandbox'],
    ['444444444444', 'closed', 'SUSPENDED'],
  ]);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('exclusions list', () => {
  it('lists each active account through the exclusions role', async () => {
    fakeParameters(
      mocks,
      new Map([
        ['111111111111', { value: 'breakglass,ci-deployer', version: 3 }],
        ['222222222222', { value: ',', version: 1 }],
      ]),
    );
    const { code, stdout, stderr } = await runCli(['exclusions', 'list', '--output', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      expect.objectContaining({
        accountId: '111111111111',
        status: 'listed',
        entries: ['breakglass', 'ci-deployer'],
        version: 3,
      }),
      expect.objectContaining({ accountId: '222222222222', status: 'listed', entries: [], version: 1 }),
    ]);
    const roles = mocks.sts
      .commandCalls(AssumeRoleCommand)
      .map((c) => c.args[0].input.RoleArn)
      .sort();
    expect(roles).toEqual([
      `arn:aws:iam::111111111111:role/${EXCLUSIONS_ROLE_NAME}`,
      `arn:aws:iam::222222222222:role/${EXCLUSIONS_ROLE_NAME}`,
    ]);
    expect(mocks.ssm.commandCalls(GetParameterCommand)[0]?.args[0].input.Name).toBe(
      DEFAULT_EXCLUSION_PARAMETER_NAME,
    );
    expect(stderr).toContain('exclusions list: 2/2');
  });

  it('prints a table with "(no parameter)" for an account without the parameter', async () => {
    fakeParameters(mocks, new Map([['111111111111', { value: 'breakglass', version: 2 }]]));
    const { code, stdout } = await runCli(['exclusions', 'list', '--account', '222222222222']);
    expect(code).toBe(0);
    expect(stdout).toContain('222222222222  sandbox');
    expect(stdout).toContain('(no parameter)');
    expect(stdout).not.toContain('111111111111');
  });

  it('reads every page of ListAccounts (>100 accounts) and bounds concurrency', async () => {
    const accounts = manyAccounts(130);
    organizationAccounts(mocks, accounts, 50);
    let inFlight = 0;
    let maxInFlight = 0;
    mocks.ssm.on(GetParameterCommand).callsFake(async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight -= 1;
      return { Parameter: { Value: 'breakglass', Version: 1 } };
    });
    const { code, stdout } = await runCli(['exclusions', 'list', '--output', 'json', '--concurrency', '4']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveLength(130);
    expect(mocks.organizations.commandCalls(ListAccountsCommand)).toHaveLength(3);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('reports AccessDenied in one account and still lists the others (exit 1)', async () => {
    fakeParameters(mocks, new Map([['222222222222', { value: 'breakglass', version: 1 }]]));
    mocks.sts
      .on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::111111111111:role/${EXCLUSIONS_ROLE_NAME}` })
      .rejects(awsError('AccessDenied', 'User is not authorized to perform: sts:AssumeRole'));
    const { code, stdout } = await runCli(['exclusions', 'list', '--output', 'json']);
    expect(code).toBe(1);
    const rows = JSON.parse(stdout);
    expect(rows[0]).toMatchObject({ accountId: '111111111111', status: 'failed' });
    expect(rows[0].message).toContain('AccessDenied');
    expect(rows[1]).toMatchObject({ accountId: '222222222222', status: 'listed', entries: ['breakglass'] });
  });

  it('reports throttling that outlasted the SDK retries as that account failing', async () => {
    mocks.ssm.on(GetParameterCommand).callsFake(async (_input, getClient) => {
      if ((await accountOf(getClient)) === '222222222222')
        throw awsError('ThrottlingException', 'Rate exceeded');
      return { Parameter: { Value: 'breakglass', Version: 1 } };
    });
    const { code, stdout } = await runCli(['exclusions', 'list']);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /222222222222\s+sandbox\s+-\s+FAILED: ThrottlingException: Rate exceeded \(throttled/,
    );
    expect(stdout).toMatch(/111111111111\s+workloads\s+1\s+breakglass/);
  });

  it('flags a parameter holding entries the evaluator refuses', async () => {
    fakeParameters(mocks, new Map([['111111111111', { value: 'ok-user,bad user!', version: 5 }]]));
    const { code, stdout } = await runCli(['exclusions', 'list', '--account', '111111111111']);
    expect(code).toBe(1);
    expect(stdout).toContain('bad user!');
  });

  it('reports the management account without the exclusions role as not deployed (exit 0), but fails when asked for it', async () => {
    mocks.organizations
      .on(DescribeOrganizationCommand)
      .resolves({ Organization: { MasterAccountId: '222222222222' } });
    fakeParameters(mocks, new Map([['111111111111', { value: 'breakglass', version: 1 }]]));
    mocks.sts
      .on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::222222222222:role/${EXCLUSIONS_ROLE_NAME}` })
      .rejects(awsError('AccessDenied', 'no role'));
    const all = await runCli(['exclusions', 'list', '--output', 'json']);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)[1]).toMatchObject({ accountId: '222222222222', status: 'not-deployed' });
    expect(JSON.parse(all.stdout)[1].message).toContain('--mode account');
    const asked = await runCli(['exclusions', 'list', '--account', '222222222222', '--output', 'json']);
    expect(asked.code).toBe(1);
    expect(JSON.parse(asked.stdout)[0]).toMatchObject({ status: 'failed' });
  });

  it('skips an --account that is not in the organization without touching it', async () => {
    fakeParameters(mocks, new Map());
    const { code, stdout } = await runCli(['exclusions', 'list', '--account', '555555555555']);
    expect(code).toBe(1);
    expect(stdout).toContain('not in the organization');
    expect(mocks.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });
});

describe('exclusions add / remove', () => {
  it('creates a missing parameter (Overwrite=false) and says a re-evaluation starts', async () => {
    const params = new Map<string, Param>();
    fakeParameters(mocks, params);
    const { code, stdout, stderr } = await runCli([
      'exclusions',
      'add',
      '--account',
      '111111111111',
      'breakglass',
    ]);
    expect(code).toBe(0);
    expect(putsFor(mocks)).toEqual([
      expect.objectContaining({
        Name: DEFAULT_EXCLUSION_PARAMETER_NAME,
        Value: 'breakglass',
        Type: 'String',
        Overwrite: false,
      }),
    ]);
    expect(params.get('111111111111')).toEqual({ value: 'breakglass', version: 1 });
    expect(stdout).toMatch(/111111111111\s+workloads\s+created\s+\+breakglass/);
    expect(stderr).toContain('re-evaluation');
  });

  it('merges into the existing list and overwrites at the version it read', async () => {
    const params = new Map([['111111111111', { value: 'breakglass', version: 4 }]]);
    fakeParameters(mocks, params);
    const { code } = await runCli([
      'exclusions',
      'add',
      '--account',
      '111111111111',
      'ci-deployer',
      'BREAKGLASS',
    ]);
    expect(code).toBe(0);
    expect(putsFor(mocks)).toEqual([
      expect.objectContaining({ Value: 'breakglass,ci-deployer', Overwrite: true }),
    ]);
    expect(ExclusionList.parse(params.get('111111111111')?.value ?? '').size).toBe(2);
  });

  it('does not write when nothing changes', async () => {
    fakeParameters(mocks, new Map([['111111111111', { value: 'breakglass', version: 4 }]]));
    const { code, stdout } = await runCli(['exclusions', 'add', '--account', '111111111111', 'breakglass']);
    expect(code).toBe(0);
    expect(stdout).toContain('unchanged');
    expect(putsFor(mocks)).toHaveLength(0);
  });

  it('removes names case-insensitively; removing the last one writes the empty-list value', async () => {
    const params = new Map([['222222222222', { value: 'Alice', version: 2 }]]);
    fakeParameters(mocks, params);
    const { code, stdout } = await runCli(['exclusions', 'remove', '--account', '222222222222', 'alice']);
    expect(code).toBe(0);
    expect(stdout).toContain('-Alice');
    expect(putsFor(mocks)).toEqual([expect.objectContaining({ Value: ',', Overwrite: true })]);
    expect(ExclusionList.parse(params.get('222222222222')?.value ?? 'x').size).toBe(0);
  });

  it('refuses to merge into a parameter that holds invalid entries', async () => {
    fakeParameters(mocks, new Map([['111111111111', { value: 'bad user!', version: 2 }]]));
    const { code, stdout } = await runCli(['exclusions', 'add', '--account', '111111111111', 'alice']);
    expect(code).toBe(1);
    expect(stdout).toContain('exclusions sync');
    expect(putsFor(mocks)).toHaveLength(0);
  });

  it('reports a conflict when the parameter changed between read and write', async () => {
    let reads = 0;
    mocks.ssm.on(GetParameterCommand).callsFake(() => {
      reads += 1;
      return { Parameter: { Value: 'breakglass', Version: reads === 1 ? 4 : 5 } };
    });
    const { code, stdout } = await runCli([
      'exclusions',
      'add',
      '--account',
      '111111111111',
      'alice',
      '--output',
      'json',
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)[0]).toMatchObject({ status: 'conflict' });
    expect(JSON.parse(stdout)[0].message).toContain('version 4 then, version 5 now');
    expect(putsFor(mocks)).toHaveLength(0);
  });

  it('keeps the type of an existing StringList parameter when it writes', async () => {
    const params = new Map([['111111111111', { value: 'breakglass', version: 3, type: 'StringList' }]]);
    fakeParameters(mocks, params);
    const { code, stdout } = await runCli(['exclusions', 'add', '--account', '111111111111', 'alice']);
    expect(stdout).toContain('updated');
    expect(code).toBe(0);
    expect(params.get('111111111111')).toEqual({ value: 'breakglass,alice', version: 4, type: 'StringList' });
  });

  it('refuses a SecureString parameter, which the evaluator cannot read, and writes nothing', async () => {
    const params = new Map([
      ['111111111111', { value: 'AQICAHh+ciphertext/with==', version: 2, type: 'SecureString' }],
    ]);
    fakeParameters(mocks, params);
    const listed = await runCli(['exclusions', 'list', '--account', '111111111111', '--output', 'json']);
    expect(listed.code).toBe(1);
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({ status: 'failed', entries: [] });
    expect(JSON.parse(listed.stdout)[0].message).toContain('SecureString');
    const added = await runCli([
      'exclusions',
      'add',
      '--account',
      '111111111111',
      'alice',
      '--output',
      'json',
    ]);
    expect(added.code).toBe(1);
    expect(JSON.parse(added.stdout)[0].message).toContain('SecureString');
    expect(putsFor(mocks)).toHaveLength(0);
  });

  it('reports a write that landed on top of a concurrent one (version skipped) as overwrote, exit 1', async () => {
    const params = new Map([['111111111111', { value: 'breakglass', version: 4 }]]);
    fakeParameters(mocks, params);
    // Someone else writes between our re-read and our PutParameter: SSM answers version 6.
    mocks.ssm.on(PutParameterCommand).resolves({ Version: 6, Tier: 'Standard' });
    const { code, stdout } = await runCli([
      'exclusions',
      'add',
      '--account',
      '111111111111',
      'alice',
      '--output',
      'json',
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)[0]).toMatchObject({ status: 'overwrote', version: 6 });
    expect(JSON.parse(stdout)[0].message).toContain('version 5');
    expect(JSON.parse(stdout)[0].message).toContain('get-parameter-history');
  });

  it.each([
    [['exclusions', 'add', '--account', '111111111111', 'bad user!'], 'invalid exclusion entry'],
    [['exclusions', 'add', '--account', '111111111111', 'a,b'], 'invalid exclusion entry'],
    [['exclusions', 'add', 'alice'], '--account is required'],
    [['exclusions', 'add', '--account', '12345', 'alice'], '12-digit'],
    [['exclusions', 'remove', '--account', '111111111111'], "missing required argument 'names'"],
    [['exclusions', 'add', '--mode', 'account', '--account', '111111111111', 'alice'], 'does not apply'],
    [['exclusions', 'list', '--output', 'html'], 'Allowed choices are table, json'],
    [['exclusions', 'list', '--concurrency', '0'], 'whole number from 1'],
    [['exclusions', 'add', '--account', '111111111111', 'alice', '--region', 'eu/west-1'], 'AWS region'],
    [['exclusions', 'list', '--parameter-name', 'no-slash'], 'SSM parameter path'],
  ])('bad usage %j exits 2 before any AWS call', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(totalCalls(mocks)).toBe(0);
  });

  it('in account mode writes the current account without assuming a role', async () => {
    const params = new Map<string, Param>();
    fakeParameters(mocks, params);
    ruleInAccount(mocks, DEFAULT_EXCLUSION_PARAMETER_NAME);
    const { code, stdout } = await runCli(['exclusions', 'add', '--mode', 'account', 'breakglass']);
    expect(code).toBe(0);
    expect(params.get(CALLER_ACCOUNT)).toEqual({ value: 'breakglass', version: 1 });
    expect(stdout).toContain(CALLER_ACCOUNT);
    expect(mocks.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(mocks.organizations.calls()).toHaveLength(0);
  });

  it('in account mode refuses to write a parameter the rule does not read (other --parameter-name)', async () => {
    // The deployment's exclusionParameterName setting was changed; the CLI default is then wrong
    // and a list written there would protect nobody.
    const params = new Map<string, Param>();
    fakeParameters(mocks, params);
    ruleInAccount(mocks, '/team/iam-exclusions');
    const { code, stdout } = await runCli([
      'exclusions',
      'add',
      '--mode',
      'account',
      'breakglass',
      '--output',
      'json',
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)[0]).toMatchObject({ status: 'failed' });
    expect(JSON.parse(stdout)[0].message).toContain('--parameter-name /team/iam-exclusions');
    expect(putsFor(mocks)).toHaveLength(0);
    const listed = await runCli(['exclusions', 'list', '--mode', 'account']);
    expect(listed.code).toBe(1);
    expect(listed.stdout).toContain('/team/iam-exclusions');
    const right = await runCli([
      'exclusions',
      'add',
      '--mode',
      'account',
      'breakglass',
      '--parameter-name',
      '/team/iam-exclusions',
    ]);
    expect(right.code).toBe(0);
    expect(params.get(CALLER_ACCOUNT)?.value).toBe('breakglass');
  });

  it('in account mode still writes when no rule is deployed yet (the list can come first)', async () => {
    const params = new Map<string, Param>();
    fakeParameters(mocks, params);
    mocks.config
      .on(DescribeConfigRulesCommand)
      .resolves({ ConfigRules: [{ ConfigRuleName: 'other-rule', Source: CUSTOM_LAMBDA }] });
    const { code } = await runCli(['exclusions', 'add', '--mode', 'account', 'breakglass']);
    expect(code).toBe(0);
    expect(params.get(CALLER_ACCOUNT)?.value).toBe('breakglass');
  });

  it('says which parameter the role may use when the parameter read is denied (organization mode)', async () => {
    mocks.ssm
      .on(GetParameterCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform ssm:GetParameter'));
    const { code, stdout } = await runCli(['exclusions', 'list', '--account', '111111111111']);
    expect(code).toBe(1);
    expect(stdout).toContain('--parameter-name');
  });
});

describe('exclusions sync', () => {
  const desired = `# desired state
defaults:
  - breakglass
accounts:
  "111111111111": [ci-deployer]
`;

  it('prints the per-account diff and writes nothing without --apply', async () => {
    fakeParameters(
      mocks,
      new Map([
        ['111111111111', { value: 'breakglass,old-user', version: 7 }],
        ['222222222222', { value: 'breakglass', version: 1 }],
      ]),
    );
    const { code, stdout, stderr } = await runCli([
      'exclusions',
      'sync',
      '--file',
      file('plan.yaml', desired),
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/111111111111\s+workloads\s+would-update\s+\+ci-deployer -old-user/);
    expect(stdout).toMatch(/222222222222\s+sandbox\s+unchanged/);
    expect(stderr).toContain('--apply');
    expect(putsFor(mocks)).toHaveLength(0);
  });

  it('with --apply writes only the accounts that change, creating missing parameters', async () => {
    const params = new Map([['111111111111', { value: 'breakglass,old-user', version: 7 }]]);
    fakeParameters(mocks, params);
    const { code, stdout } = await runCli([
      'exclusions',
      'sync',
      '--file',
      file('apply.yaml', desired),
      '--apply',
      '--output',
      'json',
    ]);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout);
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['updated', 'created']);
    expect(params.get('111111111111')).toEqual({ value: 'breakglass,ci-deployer', version: 8 });
    expect(params.get('222222222222')).toEqual({ value: 'breakglass', version: 1 });
    // The SUSPENDED account is never touched.
    expect(
      mocks.sts
        .commandCalls(AssumeRoleCommand)
        .some((c) => c.args[0].input.RoleArn?.includes('444444444444')),
    ).toBe(false);
  });

  it('never touches a file account that is not in the organization (exit 1)', async () => {
    fakeParameters(mocks, new Map());
    const path = file('outsider.yaml', 'accounts:\n  "555555555555": [alice]\n');
    const { code, stdout } = await runCli([
      'exclusions',
      'sync',
      '--file',
      path,
      '--apply',
      '--output',
      'json',
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toContainEqual(
      expect.objectContaining({ accountId: '555555555555', status: 'skipped' }),
    );
    expect(
      mocks.sts
        .commandCalls(AssumeRoleCommand)
        .some((c) => c.args[0].input.RoleArn?.includes('555555555555')),
    ).toBe(false);
  });

  it('reports a version conflict per account and writes the others', async () => {
    const reads = new Map<string, number>();
    mocks.ssm.on(GetParameterCommand).callsFake(async (_input, getClient) => {
      const account = await accountOf(getClient);
      const n = (reads.get(account) ?? 0) + 1;
      reads.set(account, n);
      // Someone edits 111111111111 right after sync read it.
      const version = account === '111111111111' && n > 1 ? 8 : 7;
      return { Parameter: { Value: 'old-user', Version: version } };
    });
    mocks.ssm.on(PutParameterCommand).resolves({ Version: 8 });
    const { code, stdout } = await runCli([
      'exclusions',
      'sync',
      '--file',
      file('c.yaml', desired),
      '--apply',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/111111111111\s+workloads\s+conflict/);
    expect(stdout).toMatch(/222222222222\s+sandbox\s+updated/);
    expect(putsFor(mocks)).toHaveLength(1);
  });

  it('reports a conflict when the parameter appears between read and create', async () => {
    mocks.ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
    mocks.ssm.on(PutParameterCommand).rejects(awsError('ParameterAlreadyExists'));
    const { code, stdout } = await runCli([
      'exclusions',
      'sync',
      '--file',
      file('d.yaml', desired),
      '--apply',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/111111111111\s+workloads\s+conflict/);
    expect(stdout).toContain('absent then, created by someone else now');
  });

  it('refuses a list over 4 KB and offers --advanced-tier; with it writes an advanced parameter', async () => {
    const names = Array.from({ length: 300 }, (_, i) => `user-with-a-long-name-${i}`);
    const path = file('big.yaml', `defaults:\n${names.map((n) => `  - ${n}`).join('\n')}\n`);
    const refused = await runCli(['exclusions', 'sync', '--file', path]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('4096-byte standard-tier limit; pass --advanced-tier');
    expect(totalCalls(mocks)).toBe(0);

    fakeParameters(mocks, new Map());
    const accepted = await runCli(['exclusions', 'sync', '--file', path, '--apply', '--advanced-tier']);
    expect(accepted.code).toBe(0);
    expect(putsFor(mocks)[0]).toMatchObject({ Tier: 'Advanced' });
  });

  it('--advanced-tier makes only the lists over 4 KB advanced parameters (they are charged and cannot go back)', async () => {
    const names = Array.from({ length: 300 }, (_, i) => `user-with-a-long-name-${i}`);
    const path = file(
      'big-one.yaml',
      `defaults: [breakglass]\naccounts:\n  "111111111111":\n${names.map((n) => `    - ${n}`).join('\n')}\n`,
    );
    const params = new Map<string, Param>();
    fakeParameters(mocks, params);
    const { code } = await runCli(['exclusions', 'sync', '--file', path, '--apply', '--advanced-tier']);
    expect(code).toBe(0);
    expect(params.get('111111111111')?.tier).toBe('Advanced');
    expect(params.get('222222222222')).toEqual({ value: 'breakglass', version: 1 });
  });

  it.each([
    ['duplicate account', 'accounts:\n  "111111111111": [a]\n  "111111111111": [b]\n', 'duplicate key'],
    ['invalid name', 'defaults: [ok, "not ok!"]\n', '"not ok!"'],
    ['YAML syntax', 'defaults: [a\n', 'line'],
    ['unknown key', 'default: [a]\n', 'unknown key "default"'],
    ['bad account id', 'accounts:\n  "1234": [a]\n', 'not a 12-digit'],
    ['empty file', '', 'empty'],
  ])('refuses a malformed file (%s) with exit 2 and no AWS call', async (_name, text, message) => {
    const { code, stderr } = await runCli(['exclusions', 'sync', '--file', file('bad.yaml', text)]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(totalCalls(mocks)).toBe(0);
  });

  it('refuses a missing file with exit 2', async () => {
    const { code, stderr } = await runCli(['exclusions', 'sync', '--file', join(dir, 'nope.yaml')]);
    expect(code).toBe(2);
    expect(stderr).toContain('cannot read --file');
    expect(totalCalls(mocks)).toBe(0);
  });

  it('in account mode applies defaults plus the current account entry', async () => {
    const params = new Map<string, Param>();
    fakeParameters(mocks, params);
    const path = file(
      'acct.yaml',
      `defaults: [breakglass]\naccounts:\n  "${CALLER_ACCOUNT}": [local-admin]\n`,
    );
    ruleInAccount(mocks, DEFAULT_EXCLUSION_PARAMETER_NAME);
    const { code } = await runCli(['exclusions', 'sync', '--mode', 'account', '--file', path, '--apply']);
    expect(code).toBe(0);
    expect(params.get(CALLER_ACCOUNT)?.value).toBe('breakglass,local-admin');
    expect(mocks.organizations.calls()).toHaveLength(0);
  });

  it('--help shows an example', async () => {
    const { code, stdout } = await runCli(['exclusions', 'sync', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('iam-unused exclusions sync --file exclusions.yaml --apply');
    expect(stdout).toContain('--profile');
    expect(stdout).toContain('--region');
  });
});
