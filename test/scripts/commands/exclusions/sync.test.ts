import { join } from 'node:path';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXCLUSION_PARAMETER_NAME } from '../../../../conformance-pack/names';
import { NO_EXCLUSIONS_VALUE } from '../../../../evaluator/exclusions';
import { accountOf, awsError, CALLER_ACCOUNT, runCli, totalCalls } from '../../../support/harness';
import { dir, fakeParameters, file, mocks, type Param, putsFor, ruleInAccount, useMocks } from './fixture';

useMocks();

describe('exclusions sync', () => {
  const desired = `# desired state
defaults:
  - breakglass
accounts:
  "111111111111": [ci-deployer]
`;

  it('prints the per-account diff and writes nothing without --apply', async () => {
    // Given
    fakeParameters(
      mocks,
      new Map([
        ['111111111111', { value: 'breakglass,old-user', version: 7 }],
        ['222222222222', { value: 'breakglass', version: 1 }],
      ]),
    );
    // When
    const { code, stdout, stderr } = await runCli([
      'exclusions',
      'sync',
      '--file',
      file('plan.yaml', desired),
    ]);
    // Then
    expect(code).toBe(0);
    expect(stdout).toMatch(/111111111111\s+workloads\s+would-update\s+\+ci-deployer -old-user/);
    expect(stdout).toMatch(/222222222222\s+sandbox\s+unchanged/);
    expect(stderr).toContain('--apply');
    expect(putsFor(mocks)).toHaveLength(0);
  });

  it('with --apply writes only the accounts that change, creating missing parameters', async () => {
    // Given
    const params = new Map([['111111111111', { value: 'breakglass,old-user', version: 7 }]]);
    fakeParameters(mocks, params);
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'sync',
      '--file',
      file('apply.yaml', desired),
      '--apply',
      '--output',
      'json',
    ]);
    // Then
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
    // Given
    fakeParameters(mocks, new Map());
    const path = file('outsider.yaml', 'accounts:\n  "555555555555": [alice]\n');
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'sync',
      '--file',
      path,
      '--apply',
      '--output',
      'json',
    ]);
    // Then
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
    // Given
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
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'sync',
      '--file',
      file('c.yaml', desired),
      '--apply',
    ]);
    // Then
    expect(code).toBe(1);
    expect(stdout).toMatch(/111111111111\s+workloads\s+conflict/);
    expect(stdout).toMatch(/222222222222\s+sandbox\s+updated/);
    expect(putsFor(mocks)).toHaveLength(1);
  });

  it('reports a conflict when the parameter appears between read and create', async () => {
    // Given
    mocks.ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
    mocks.ssm.on(PutParameterCommand).rejects(awsError('ParameterAlreadyExists'));
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'sync',
      '--file',
      file('d.yaml', desired),
      '--apply',
    ]);
    // Then
    expect(code).toBe(1);
    expect(stdout).toMatch(/111111111111\s+workloads\s+conflict/);
    expect(stdout).toContain('absent then, created by someone else now');
  });

  it('refuses a list over 4 KB and offers --advanced-tier; with it writes an advanced parameter', async () => {
    // Given
    const names = Array.from({ length: 300 }, (_, i) => `user-with-a-long-name-${i}`);
    const path = file('big.yaml', `defaults:\n${names.map((n) => `  - ${n}`).join('\n')}\n`);
    // When
    const refused = await runCli(['exclusions', 'sync', '--file', path]);
    // Then
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('4096-byte standard-tier limit; pass --advanced-tier');
    expect(totalCalls(mocks)).toBe(0);

    fakeParameters(mocks, new Map());
    const accepted = await runCli(['exclusions', 'sync', '--file', path, '--apply', '--advanced-tier']);
    expect(accepted.code).toBe(0);
    expect(putsFor(mocks)[0]).toMatchObject({ Tier: 'Advanced' });
  });

  it('--advanced-tier makes only the lists over 4 KB advanced parameters (they are charged and cannot go back)', async () => {
    // Given
    const names = Array.from({ length: 300 }, (_, i) => `user-with-a-long-name-${i}`);
    const path = file(
      'big-one.yaml',
      `defaults: [breakglass]\naccounts:\n  "111111111111":\n${names.map((n) => `    - ${n}`).join('\n')}\n`,
    );
    const params = new Map<string, Param>();
    fakeParameters(mocks, params);
    // When
    const { code } = await runCli(['exclusions', 'sync', '--file', path, '--apply', '--advanced-tier']);
    // Then
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
    // When
    const { code, stderr } = await runCli(['exclusions', 'sync', '--file', file('bad.yaml', text)]);
    // Then
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(totalCalls(mocks)).toBe(0);
  });

  it('refuses a missing file with exit 2', async () => {
    // When
    const { code, stderr } = await runCli(['exclusions', 'sync', '--file', join(dir, 'nope.yaml')]);
    // Then
    expect(code).toBe(2);
    expect(stderr).toContain('cannot read --file');
    expect(totalCalls(mocks)).toBe(0);
  });

  it('in account mode applies defaults plus the current account entry', async () => {
    // Given
    const params = new Map<string, Param>();
    fakeParameters(mocks, params);
    const path = file(
      'acct.yaml',
      `defaults: [breakglass]\naccounts:\n  "${CALLER_ACCOUNT}": [local-admin]\n`,
    );
    ruleInAccount(mocks, DEFAULT_EXCLUSION_PARAMETER_NAME);
    // When
    const { code } = await runCli(['exclusions', 'sync', '--mode', 'account', '--file', path, '--apply']);
    // Then
    expect(code).toBe(0);
    expect(params.get(CALLER_ACCOUNT)?.value).toBe('breakglass,local-admin');
    expect(mocks.organizations.calls()).toHaveLength(0);
  });

  it('--help shows an example', async () => {
    // When
    const { code, stdout } = await runCli(['exclusions', 'sync', '--help']);
    // Then
    expect(code).toBe(0);
    expect(stdout).toContain('iam-unused exclusions sync --file exclusions.yaml --apply');
    expect(stdout).toContain('--profile');
    expect(stdout).toContain('--region');
  });
});

describe('exclusions sync: the explicit "no exclusions" value', () => {
  it('creates (none) where an account has no entries and no parameter, and leaves an existing empty list alone', async () => {
    // Given: 222222222222 has no parameter (its evaluator fails every run until one exists).
    const params = new Map<string, Param>([['111111111111', { value: NO_EXCLUSIONS_VALUE, version: 2 }]]);
    fakeParameters(mocks, params);
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'sync',
      '--file',
      file('none.yaml', 'defaults: []\n'),
      '--apply',
      '--output',
      'json',
    ]);
    // Then
    expect(code).toBe(0);
    expect(JSON.parse(stdout).map((r: { status: string }) => r.status)).toEqual(['unchanged', 'created']);
    expect(params.get('222222222222')).toEqual({ value: NO_EXCLUSIONS_VALUE, version: 1 });
    expect(params.get('111111111111')).toEqual({ value: NO_EXCLUSIONS_VALUE, version: 2 });
    expect(putsFor(mocks)).toEqual([
      expect.objectContaining({ Value: NO_EXCLUSIONS_VALUE, Overwrite: false }),
    ]);
  });

  it('no longer advises deleting a SecureString parameter and rerunning (a missing list stops every run)', async () => {
    // Given
    fakeParameters(
      mocks,
      new Map([['111111111111', { value: 'AQICAHh+cipher', version: 2, type: 'SecureString' }]]),
    );
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'sync',
      '--file',
      file('secure.yaml', 'defaults: [breakglass]\n'),
      '--account',
      '111111111111',
      '--output',
      'json',
    ]);
    // Then
    expect(code).toBe(3);
    const message: string = JSON.parse(stdout)[0].message;
    expect(message).toContain('Do not delete it');
    expect(message).not.toContain('rerun add or sync');
    expect(message).toContain('--type String');
  });
});
