import { describe, expect, it } from 'vitest';
import { DAY, givenMixedSnapshot, type JsonUser, NOW, run, runJson, writeJson } from './fixture';

const mixed = givenMixedSnapshot();

describe('iam-unused preview --output json', () => {
  it('prints one document with the verdicts, non-compliant first, and exits 1 on findings', async () => {
    // Given the mixed snapshot, When previewed with max age 30
    const { code, doc } = await runJson(['preview', '--snapshot', mixed, '--max-age', '30', '--now', NOW]);
    // Then
    expect(code).toBe(1);
    expect(doc.maxCredentialUsageAge).toBe(30);
    expect(doc.evaluatedAt).toBe('2025-08-27T03:00:00.000Z');
    expect(doc.accountId).toBe('111111111111');
    expect(doc.approximations).toEqual([]);
    expect(doc.users.map((u) => [u.userName, u.compliance])).toEqual([
      ['bob-keys', 'NON_COMPLIANT'],
      ['carol', 'COMPLIANT'],
      ['zed-fresh', 'COMPLIANT'],
    ]);
    // The shared user shape (schemas/user.schema.json): the preview knows every fact exactly.
    expect(doc.users[0]).toEqual({
      accountId: '111111111111',
      accountName: '',
      region: null,
      userName: 'bob-keys',
      userId: 'AIDAAAAAAAAAAAAAAAA2',
      compliance: 'NON_COMPLIANT',
      excluded: false,
      excludedBy: null,
      revoke: { password: false, accessKeys: ['AKIAAAAAAAAAAAAAAAA2'] },
      credentials: [
        {
          credential: 'accessKey',
          accessKeyId: 'AKIAAAAAAAAAAAAAAAA1',
          daysUnused: 29,
          neverUsed: false,
          stale: false,
          revokeOn: '2025-08-27',
        },
        {
          credential: 'accessKey',
          accessKeyId: 'AKIAAAAAAAAAAAAAAAA2',
          daysUnused: 30,
          neverUsed: false,
          stale: true,
          revokeOn: '2025-08-27',
        },
      ],
      revokeOn: '2025-08-27',
      annotation: 'bob-keys: key AKIAAAAAAAAAAAAAAAA2 30d unused, limit 30d; will be revoked',
      recordedAt: null,
    });
    expect(doc.schemaVersion).toBe(1);
    // carol has no login profile: her old PasswordLastUsed is not a credential the runbook touches.
    expect(doc.users[1]?.revoke).toEqual({ password: false, accessKeys: [] });
  });

  it('exits 0 when every user is compliant', async () => {
    // Given the mixed snapshot, When previewed with max age 31
    const { code, doc } = await runJson(['preview', '--snapshot', mixed, '--max-age', '31', '--now', NOW]);
    // Then
    expect(code).toBe(0);
    expect(doc.users.every((u) => u.compliance === 'COMPLIANT')).toBe(true);
  });

  it('excludes by UserId exactly and by name case-insensitively, with the same parser as the Lambda', async () => {
    // Given bob-keys excluded by UserId and carol by name in another case
    const exclude = ' AIDAAAAAAAAAAAAAAAA2 ,\nCAROL\r\n';
    // When
    const { code, doc } = await runJson([
      'preview',
      '--snapshot',
      mixed,
      '--max-age',
      '30',
      '--now',
      NOW,
      '--exclude',
      exclude,
    ]);
    // Then
    expect(code).toBe(0);
    const bob = doc.users.find((u) => u.userName === 'bob-keys');
    expect(bob).toMatchObject({
      compliance: 'COMPLIANT',
      excluded: true,
      revoke: { password: false, accessKeys: [] },
    });
    expect(bob?.annotation).toBe(
      'EXCLUDED bob-keys by UserId entry "AIDAAAAAAAAAAAAAAAA2"; would otherwise revoke key AKIAAAAAAAAAAAAAAAA2 30d (limit 30d)',
    );
    expect(doc.users.find((u) => u.userName === 'carol')?.excluded).toBe(true);
    expect(doc.users.find((u) => u.userName === 'carol')?.excludedBy).toEqual({
      entry: 'CAROL',
      matchedBy: 'name',
    });
    expect(bob?.excludedBy).toEqual({ entry: 'AIDAAAAAAAAAAAAAAAA2', matchedBy: 'userId' });
    expect(doc.users.find((u) => u.userName === 'zed-fresh')?.excluded).toBe(false);
  });

  it('uses the current time when --now is absent', async () => {
    // Given a clock one year after NOW
    const later = new Date(Date.parse(NOW) + 365 * DAY).toISOString();
    // When
    const result = await run(['preview', '--snapshot', mixed, '--max-age', '30', '--output', 'json'], later);
    // Then
    const doc = JSON.parse(result.stdout) as { evaluatedAt: string; users: JsonUser[] };
    expect(doc.evaluatedAt).toBe(later);
    expect(doc.users.find((u) => u.userName === 'zed-fresh')?.revoke.password).toBe(true);
  });

  it('accepts an empty user list', async () => {
    // Given
    const empty = writeJson('empty.json', { accountId: '222222222222', users: [] });
    // When
    const { code, doc } = await runJson(['preview', '--snapshot', empty, '--max-age', '90', '--now', NOW]);
    // Then
    expect(code).toBe(0);
    expect(doc.users).toEqual([]);
  });
});

describe('iam-unused preview --output table', () => {
  it('shows one row per user, non-compliant first, days unused and what would be revoked', async () => {
    // Given the mixed snapshot, When previewed as a table
    const { code, stdout, stderr } = await run([
      'preview',
      '--snapshot',
      mixed,
      '--max-age',
      '30',
      '--now',
      NOW,
    ]);
    // Then
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(
      'Account 111111111111: credentials unused for 30 days or more, as of 2025-08-27T03:00:00.000Z; 0 exclusion entries.',
    );
    expect(lines[2]).toMatch(
      /^USER +VERDICT +PASSWORD \(days unused\) +ACCESS KEYS \(days unused\) +WOULD REVOKE$/,
    );
    expect(lines[4]).toMatch(
      /^bob-keys +NON_COMPLIANT +no password +AKIAAAAAAAAAAAAAAAA1 29d +key AKIAAAAAAAAAAAAAAAA2$/,
    );
    expect(lines[5]).toMatch(/^ +AKIAAAAAAAAAAAAAAAA2 30d STALE$/);
    expect(lines[6]).toMatch(/^ +AKIAAAAAAAAAAAAAAAA3 inactive, ignored$/);
    expect(lines[7]).toMatch(/^carol +COMPLIANT +no password +no keys +nothing$/);
    expect(lines[8]).toMatch(/^zed-fresh +COMPLIANT +5d never used +no keys +nothing$/);
    expect(stdout).toContain(
      '3 users: 1 NON_COMPLIANT, 2 COMPLIANT (0 excluded). The runbook would delete 0 console passwords and deactivate 1 access key.',
    );
  });
});
