import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The article's experiment (max age 30, `test-active-user` in the exclusion list), replayed with
 * the real CLI as a child process on examples/article-snapshot.json at a fixed instant.
 */
const ARTICLE = [
  'scripts/bin/iam-unused.mjs',
  'preview',
  '--snapshot',
  'examples/article-snapshot.json',
  '--max-age',
  '30',
  '--exclude',
  'test-active-user',
  '--now',
  '2025-08-27T03:00:00Z',
];

function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...args], { cwd: process.cwd() }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(error);
        return;
      }
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

interface JsonUser {
  userName: string;
  compliance: string;
  excluded: boolean;
  revoke: { password: boolean; accessKeys: string[] };
  annotation: string;
}

describe('the article, through the real CLI', () => {
  it('finds test-active-user2 NON_COMPLIANT (password only) and the other two COMPLIANT, one of them excluded', async () => {
    const { code, stdout, stderr } = await cli([...ARTICLE, '--output', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const doc = JSON.parse(stdout) as {
      maxCredentialUsageAge: number;
      evaluatedAt: string;
      users: JsonUser[];
    };
    expect(doc.maxCredentialUsageAge).toBe(30);
    expect(doc.evaluatedAt).toBe('2025-08-27T03:00:00.000Z');
    const byName = Object.fromEntries(doc.users.map((u) => [u.userName, u]));
    expect(Object.keys(byName).sort()).toEqual([
      'test-active-user',
      'test-active-user2',
      'test-active-user3',
    ]);

    // Excluded: its console sign-in is 48 days old, so only the exclusion keeps it compliant.
    expect(byName['test-active-user']).toMatchObject({
      compliance: 'COMPLIANT',
      excluded: true,
      revoke: { password: false, accessKeys: [] },
    });
    expect(byName['test-active-user']?.annotation).toMatch(
      /^EXCLUDED test-active-user by name .*would otherwise revoke password 48d/,
    );

    // Password created 48 days ago and never used; its 57-minute-old active key is left alone.
    expect(byName['test-active-user2']).toMatchObject({
      compliance: 'NON_COMPLIANT',
      excluded: false,
      revoke: { password: true, accessKeys: [] },
    });
    expect(byName['test-active-user2']?.annotation).toBe(
      'test-active-user2: password 48d (never used) unused, limit 30d; will be revoked',
    );

    // Password created 17 hours ago, never used.
    expect(byName['test-active-user3']).toMatchObject({
      compliance: 'COMPLIANT',
      excluded: false,
      revoke: { password: false, accessKeys: [] },
    });
  });

  it('shows the same verdicts as a table, non-compliant first', async () => {
    const { code, stdout, stderr } = await cli(ARTICLE);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const rows = stdout.split('\n').filter((line) => line.startsWith('test-active-user'));
    expect(rows.map((line) => line.split(/ {2,}/).slice(0, 2))).toEqual([
      ['test-active-user2', 'NON_COMPLIANT'],
      ['test-active-user', 'COMPLIANT'],
      ['test-active-user3', 'COMPLIANT'],
    ]);
    expect(rows[0]).toMatch(/48d never used STALE +AKIAEXAMPLEKEY000002 0d never used +console password$/);
    expect(stdout).toContain('3 users: 1 NON_COMPLIANT, 2 COMPLIANT (1 excluded).');
  });

  it('without the exclusion, test-active-user is NON_COMPLIANT too', async () => {
    const args = ARTICLE.filter((a, i) => a !== '--exclude' && ARTICLE[i - 1] !== '--exclude');
    const { code, stdout } = await cli([...args, '--output', 'json']);
    expect(code).toBe(1);
    const doc = JSON.parse(stdout) as { users: JsonUser[] };
    expect(doc.users.filter((u) => u.compliance === 'NON_COMPLIANT').map((u) => u.userName)).toEqual([
      'test-active-user',
      'test-active-user2',
    ]);
  });

  it('gives the same verdicts from the example credential report, flagging the approximated password ages', async () => {
    const args = ARTICLE.map((a) =>
      a === 'examples/article-snapshot.json' ? 'examples/article-credential-report.csv' : a,
    );
    args[args.indexOf('--snapshot')] = '--credential-report';
    const { code, stdout, stderr } = await cli([...args, '--output', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const doc = JSON.parse(stdout) as { users: JsonUser[]; approximations: Array<{ userName?: string }> };
    expect(doc.users.map((u) => [u.userName, u.compliance, u.excluded, u.revoke])).toEqual([
      ['test-active-user2', 'NON_COMPLIANT', false, { password: true, accessKeys: [] }],
      ['test-active-user', 'COMPLIANT', true, { password: false, accessKeys: [] }],
      ['test-active-user3', 'COMPLIANT', false, { password: false, accessKeys: [] }],
    ]);
    // Only the never-used passwords lean on password_last_changed.
    expect(doc.approximations.flatMap((a) => (a.userName ? [a.userName] : []))).toEqual([
      'test-active-user2',
      'test-active-user3',
    ]);
  });

  it('bad usage through the real process: exit 2, one line on stderr, nothing on stdout', async () => {
    const { code, stdout, stderr } = await cli([...ARTICLE, '--max-age', '0']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'iam-unused: invalid input: --max-age must be from 1 to 10000 days, got 0 — choose a value in that range\n',
    );
  });
});
