import { GetParameterHistoryCommand, type ParameterHistory } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXCLUSION_PARAMETER_NAME } from '../../../../conformance-pack/names';
import { historyOf, writerOf } from '../../../../scripts/commands/exclusions/history';
import { accountOf, awsError, runCli } from '../../../support/harness';
import { fakeParameters, mocks, type Param, putsFor, useMocks } from './fixture';

useMocks();

const WRITER = 'arn:aws:sts::111111111111:assumed-role/iam-unused-cleanup-exclusions/iam-unused-jane';

function version(n: number, value: string, extra: Partial<ParameterHistory> = {}): ParameterHistory {
  return {
    Name: DEFAULT_EXCLUSION_PARAMETER_NAME,
    Version: n,
    Value: value,
    Type: 'String',
    LastModifiedDate: new Date(`2025-08-0${n}T10:00:00Z`),
    LastModifiedUser: WRITER,
    ...extra,
  };
}

/** GetParameterHistory per account, in pages of two versions (NextToken = index of the next page). */
function fakeHistory(byAccount: Map<string, ParameterHistory[]>): void {
  mocks.ssm.on(GetParameterHistoryCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
    const all = byAccount.get(await accountOf(getClient));
    if (!all) throw awsError('ParameterNotFound', 'Parameter not found.');
    const start = Number(input.NextToken ?? 0);
    return {
      Parameters: all.slice(start, start + 2),
      ...(start + 2 < all.length ? { NextToken: String(start + 2) } : {}),
    };
  });
}

const THREE = [version(1, 'breakglass'), version(2, 'breakglass,alice'), version(3, 'Breakglass')];

describe('exclusions history', () => {
  it('reads every page and shows each version with its date, writer and change', async () => {
    // Given
    fakeHistory(new Map([['111111111111', THREE]]));
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'history',
      '--account',
      '111111111111',
      '--output',
      'json',
    ]);
    // Then
    expect(code).toBe(0);
    expect(mocks.ssm.commandCalls(GetParameterHistoryCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      '2',
    ]);
    const [account] = JSON.parse(stdout);
    expect(account.versions).toEqual([
      expect.objectContaining({ version: 1, added: ['breakglass'], removed: [], modifiedBy: WRITER }),
      expect.objectContaining({
        version: 2,
        added: ['alice'],
        removed: [],
        entries: ['breakglass', 'alice'],
      }),
      // Names are case-insensitive: a new spelling is no change of who is excluded.
      expect.objectContaining({
        version: 3,
        added: [],
        removed: ['alice'],
        modifiedAt: '2025-08-03T10:00:00.000Z',
      }),
    ]);
  });

  it('prints a table with the operator session of each write', async () => {
    // Given
    fakeHistory(new Map([['111111111111', THREE]]));
    // When
    const { code, stdout } = await runCli(['exclusions', 'history', '--account', '111111111111']);
    // Then
    expect(code).toBe(0);
    expect(stdout).toContain('111111111111 workloads');
    expect(stdout).toMatch(
      /2\s+2025-08-02T10:00:00.000Z\s+assumed-role\/iam-unused-cleanup-exclusions\/iam-unused-jane\s+\+alice/,
    );
  });

  it.each([
    ['AccessDeniedException', 'ssm:GetParameterHistory'],
    ['ParameterNotFound', 'does not exist here'],
    ['ThrottlingException', 'rerun later'],
  ])('a history read failing with %s is a failed row naming the fix (exit 1)', async (name, message) => {
    // Given
    mocks.ssm.on(GetParameterHistoryCommand).rejects(awsError(name));
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'history',
      '--account',
      '111111111111',
      '--output',
      'json',
    ]);
    // Then
    expect(code).toBe(1);
    expect(JSON.parse(stdout)[0].versions).toEqual([]);
    expect(JSON.parse(stdout)[0].error).toContain(message);
  });

  it('a failing second page fails the whole history: never a partial one', async () => {
    // Given
    mocks.ssm
      .on(GetParameterHistoryCommand)
      .resolvesOnce({ Parameters: THREE.slice(0, 2), NextToken: '2' })
      .rejects(awsError('ThrottlingException'));
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'history',
      '--account',
      '111111111111',
      '--output',
      'json',
    ]);
    // Then
    expect(code).toBe(1);
    expect(JSON.parse(stdout)[0].versions).toEqual([]);
  });

  it('takes exactly one account', async () => {
    const { code, stderr } = await runCli([
      'exclusions',
      'history',
      '--account',
      '111111111111',
      '--account',
      '222222222222',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('one account');
  });
});

describe('exclusions restore', () => {
  function setup(): Map<string, Param> {
    const params = new Map<string, Param>([['111111111111', { value: 'Breakglass', version: 3 }]]);
    fakeParameters(mocks, params);
    fakeHistory(new Map([['111111111111', THREE]]));
    return params;
  }

  it('shows the change back to version N and writes nothing without --apply', async () => {
    // Given
    setup();
    // When
    const { code, stdout, stderr } = await runCli([
      'exclusions',
      'restore',
      '--account',
      '111111111111',
      '--version',
      '2',
    ]);
    // Then
    expect(code).toBe(0);
    expect(stdout).toMatch(/111111111111\s+workloads\s+would-update\s+\+alice/);
    expect(stderr).toContain('--apply');
    expect(putsFor(mocks)).toHaveLength(0);
  });

  it("with --apply writes version N's list as a new version", async () => {
    // Given
    const params = setup();
    // When
    const { code } = await runCli([
      'exclusions',
      'restore',
      '--account',
      '111111111111',
      '--version',
      '2',
      '--apply',
    ]);
    // Then
    expect(code).toBe(0);
    expect(putsFor(mocks)).toEqual([expect.objectContaining({ Value: 'Breakglass,alice', Overwrite: true })]);
    expect(params.get('111111111111')).toEqual({ value: 'Breakglass,alice', version: 4 });
  });

  it('refuses a version that does not exist, naming the versions kept', async () => {
    // Given
    setup();
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'restore',
      '--account',
      '111111111111',
      '--version',
      '9',
      '--apply',
      '--output',
      'json',
    ]);
    // Then
    expect(code).toBe(3);
    expect(JSON.parse(stdout)[0]).toMatchObject({ status: 'failed' });
    expect(JSON.parse(stdout)[0].message).toContain('no version 9 (versions kept: 1-3');
    expect(putsFor(mocks)).toHaveLength(0);
  });

  it('refuses a SecureString version, which the evaluator cannot read', async () => {
    // Given
    fakeParameters(mocks, new Map([['111111111111', { value: 'alice', version: 2 }]]));
    fakeHistory(
      new Map([
        ['111111111111', [version(1, 'AQICAHh+cipher', { Type: 'SecureString' }), version(2, 'alice')]],
      ]),
    );
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'restore',
      '--account',
      '111111111111',
      '--version',
      '1',
      '--apply',
      '--output',
      'json',
    ]);
    // Then
    expect(code).toBe(3);
    expect(JSON.parse(stdout)[0].message).toContain('SecureString');
    expect(putsFor(mocks)).toHaveLength(0);
  });

  it.each([['0'], ['x'], ['1.5']])('refuses --version %s (exit 2)', async (v) => {
    const { code, stderr } = await runCli([
      'exclusions',
      'restore',
      '--account',
      '111111111111',
      '--version',
      v,
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('parameter version');
  });
});

describe('history, pure', () => {
  it('orders versions and keeps a SecureString version out of the diffs', () => {
    const h = historyOf([
      version(3, 'alice,bob'),
      version(1, 'alice'),
      version(2, 'cipher', { Type: 'SecureString' }),
    ]);
    expect(h.map((v) => [v.version, v.entries, v.added, v.removed])).toEqual([
      [1, ['alice'], ['alice'], []],
      [2, undefined, [], []],
      [3, ['alice', 'bob'], ['bob'], []],
    ]);
    expect(writerOf(undefined)).toBe('-');
    expect(writerOf('arn:aws:iam::111111111111:user/ops')).toBe('user/ops');
  });
});
