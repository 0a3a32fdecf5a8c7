import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXCLUSION_PARAMETER_NAME } from '../../../../conformance-pack/names';
import { PLAN_KIND } from '../../../../scripts/commands/exclusions/saved-plan';
import { runCli, totalCalls } from '../../../support/harness';
import { dir, fakeParameters, file, mocks, type Param, putsFor, useMocks } from './fixture';

useMocks();

const desired = `defaults: [breakglass]
accounts:
  "111111111111": [ci-deployer]
`;

function planPath(name: string): string {
  return join(dir, name);
}

describe('exclusions sync --plan-out / --apply --plan', () => {
  it('saves the plan with the parameter version each list was computed against, and writes nothing', async () => {
    // Given
    fakeParameters(
      mocks,
      new Map([
        ['111111111111', { value: 'breakglass,old-user', version: 7 }],
        ['222222222222', { value: 'breakglass', version: 1 }],
      ]),
    );
    const out = planPath('saved.json');
    // When
    const { code, stderr } = await runCli([
      'exclusions',
      'sync',
      '--file',
      file('saved.yaml', desired),
      '--plan-out',
      out,
    ]);
    // Then
    expect(code).toBe(0);
    expect(putsFor(mocks)).toHaveLength(0);
    expect(stderr).toContain(`exclusions sync --apply --plan ${out}`);
    const plan = JSON.parse(readFileSync(out, 'utf8'));
    expect(plan).toMatchObject({
      kind: PLAN_KIND,
      schema: 1,
      parameterName: DEFAULT_EXCLUSION_PARAMETER_NAME,
      advancedTier: false,
    });
    // 222222222222 is unchanged: nothing to apply there.
    expect(plan.accounts).toEqual([
      {
        accountId: '111111111111',
        accountName: 'workloads',
        basisVersion: 7,
        entries: ['breakglass', 'ci-deployer'],
        added: ['ci-deployer'],
        removed: ['old-user'],
      },
    ]);
  });

  it('applies exactly the saved plan when nothing changed since', async () => {
    // Given
    const params = new Map<string, Param>([['111111111111', { value: 'breakglass,old-user', version: 7 }]]);
    fakeParameters(mocks, params);
    const out = planPath('exact.json');
    await runCli(['exclusions', 'sync', '--file', file('exact.yaml', desired), '--plan-out', out]);
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'sync',
      '--apply',
      '--plan',
      out,
      '--output',
      'json',
    ]);
    // Then
    expect(code).toBe(0);
    expect(
      JSON.parse(stdout).map((r: { accountId: string; status: string }) => [r.accountId, r.status]),
    ).toEqual([
      ['111111111111', 'updated'],
      ['222222222222', 'created'],
    ]);
    expect(params.get('111111111111')).toEqual({ value: 'breakglass,ci-deployer', version: 8 });
    expect(params.get('222222222222')).toEqual({ value: 'breakglass', version: 1 });
  });

  it('refuses an account whose list someone added to after the review, keeping that entry, and names the fix', async () => {
    // Given: the plan is saved and reviewed ...
    const params = new Map<string, Param>([
      ['111111111111', { value: 'breakglass,old-user', version: 7 }],
      ['222222222222', { value: 'breakglass,legacy', version: 3 }],
    ]);
    fakeParameters(mocks, params);
    const out = planPath('stale.json');
    await runCli(['exclusions', 'sync', '--file', file('stale.yaml', desired), '--plan-out', out]);
    // ... then an operator excludes someone in 111111111111.
    const added = await runCli(['exclusions', 'add', '--apply', '--account', '111111111111', 'oncall']);
    expect(added.code).toBe(0);
    mocks.ssm.resetHistory();
    // When
    const { code, stdout, stderr } = await runCli([
      'exclusions',
      'sync',
      '--apply',
      '--plan',
      out,
      '--output',
      'json',
    ]);
    // Then
    expect(code).toBe(1);
    const rows = JSON.parse(stdout);
    expect(rows[0]).toMatchObject({ accountId: '111111111111', status: 'outdated', version: 8 });
    expect(rows[0].message).toContain('planned against version 7, now version 8');
    expect(rows[0].message).toContain(`--plan-out ${out}`);
    expect(params.get('111111111111')?.value).toBe('breakglass,old-user,oncall');
    // The other account of the plan is still applied.
    expect(rows[1]).toMatchObject({ accountId: '222222222222', status: 'updated' });
    expect(params.get('222222222222')?.value).toBe('breakglass');
    expect(putsFor(mocks)).toHaveLength(1);
    expect(stderr).toContain('1 parameter written');
  });

  it('refuses to create a parameter that someone else created since the plan', async () => {
    // Given
    const params = new Map<string, Param>();
    fakeParameters(mocks, params);
    const out = planPath('created.json');
    await runCli(['exclusions', 'sync', '--file', file('created.yaml', desired), '--plan-out', out]);
    params.set('222222222222', { value: 'someone', version: 1 });
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'sync',
      '--apply',
      '--plan',
      out,
      '--account',
      '222222222222',
      '--output',
      'json',
    ]);
    // Then
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual([
      expect.objectContaining({ accountId: '222222222222', status: 'outdated' }),
    ]);
    expect(JSON.parse(stdout)[0].message).toContain('planned against no parameter, now version 1');
    expect(params.get('222222222222')?.value).toBe('someone');
  });

  it.each([
    [['exclusions', 'sync', '--apply'], 'either --file'],
    [['exclusions', 'sync', '--file', 'x.yaml', '--plan', 'p.json', '--apply'], 'either --file'],
    [['exclusions', 'sync', '--plan', 'p.json'], 'only with --apply'],
    [['exclusions', 'sync', '--file', 'x.yaml', '--apply', '--plan-out', 'p.json'], 'drop --apply'],
  ])('bad usage %j exits 2 before any AWS call', async (args, message) => {
    // When
    const { code, stderr } = await runCli(args);
    // Then
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(totalCalls(mocks)).toBe(0);
  });

  it.each([
    ['not JSON', '{', 'is not JSON'],
    ['another document', '{"kind":"something"}', 'is not a plan written by'],
    [
      'a bad account id',
      JSON.stringify({
        kind: PLAN_KIND,
        schema: 1,
        createdAt: '2025-08-27T03:00:00Z',
        source: 'x.yaml',
        parameterName: DEFAULT_EXCLUSION_PARAMETER_NAME,
        advancedTier: false,
        accounts: [
          { accountId: '1234', accountName: '', basisVersion: null, entries: [], added: [], removed: [] },
        ],
      }),
      '/accounts/0/accountId',
    ],
  ])('refuses a plan file that is %s (exit 2, no AWS call)', async (_what, text, message) => {
    // Given
    const path = file('bad-plan.json', text);
    // When
    const { code, stderr } = await runCli(['exclusions', 'sync', '--apply', '--plan', path]);
    // Then
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(totalCalls(mocks)).toBe(0);
  });

  it('refuses a plan made for another parameter unless --parameter-name says so', async () => {
    // Given
    fakeParameters(mocks, new Map());
    const out = planPath('other-param.json');
    await runCli([
      'exclusions',
      'sync',
      '--file',
      file('other.yaml', desired),
      '--parameter-name',
      '/team/excluded',
      '--plan-out',
      out,
    ]);
    mocks.ssm.resetHistory();
    // When
    const { code, stderr } = await runCli(['exclusions', 'sync', '--apply', '--plan', out]);
    // Then
    expect(code).toBe(2);
    expect(stderr).toContain('--parameter-name /team/excluded');
    expect(putsFor(mocks)).toHaveLength(0);
  });
});
