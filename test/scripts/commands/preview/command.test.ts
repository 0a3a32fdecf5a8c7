import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../support/run-cli';

const NOW = '2025-08-27T03:00:00Z';
const DAY = 24 * 60 * 60 * 1000;
const dir = mkdtempSync(join(tmpdir(), 'iam-unused-preview-'));

function daysBefore(days: number, extraMs = 0): string {
  return new Date(Date.parse(NOW) - days * DAY - extraMs).toISOString();
}

function writeJson(name: string, document: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof document === 'string' ? document : JSON.stringify(document, null, 2));
  return path;
}

function user(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    userName: 'alice',
    userId: 'AIDAAAAAAAAAAAAAAAA1',
    createDate: daysBefore(400),
    passwordLastUsed: null,
    loginProfile: null,
    accessKeys: [],
    ...overrides,
  };
}

function run(args: readonly string[], now = NOW) {
  return runCli(args, now);
}

interface JsonUser {
  userName: string;
  userId: string;
  compliance: string;
  excluded: boolean;
  revoke: { password: boolean; accessKeys: string[] };
  annotation: string;
}

async function runJson(args: readonly string[]) {
  const result = await run([...args, '--output', 'json']);
  expect(result.stderr).toBe('');
  return { ...result, doc: JSON.parse(result.stdout) as { users: JsonUser[]; [k: string]: unknown } };
}

const mixed = writeJson('mixed.json', {
  accountId: '111111111111',
  users: [
    user({
      userName: 'zed-fresh',
      userId: 'AIDAAAAAAAAAAAAAAAA1',
      loginProfile: { createDate: daysBefore(5) },
    }),
    user({
      userName: 'bob-keys',
      userId: 'AIDAAAAAAAAAAAAAAAA2',
      accessKeys: [
        {
          accessKeyId: 'AKIAAAAAAAAAAAAAAAA1',
          status: 'Active',
          createDate: daysBefore(100),
          lastUsedDate: daysBefore(30, -1000),
        },
        {
          accessKeyId: 'AKIAAAAAAAAAAAAAAAA2',
          status: 'Active',
          createDate: daysBefore(100),
          lastUsedDate: daysBefore(30),
        },
        { accessKeyId: 'AKIAAAAAAAAAAAAAAAA3', status: 'Inactive', createDate: daysBefore(300) },
      ],
    }),
    user({ userName: 'carol', userId: 'AIDAAAAAAAAAAAAAAAA3', passwordLastUsed: daysBefore(500) }),
  ],
});

describe('iam-unused preview --output json', () => {
  it('prints one document with the verdicts, non-compliant first, and exits 1 on findings', async () => {
    const { code, doc } = await runJson(['preview', '--snapshot', mixed, '--max-age', '30', '--now', NOW]);
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
    expect(doc.users[0]).toEqual({
      userName: 'bob-keys',
      userId: 'AIDAAAAAAAAAAAAAAAA2',
      compliance: 'NON_COMPLIANT',
      excluded: false,
      revoke: { password: false, accessKeys: ['AKIAAAAAAAAAAAAAAAA2'] },
      annotation: 'bob-keys: key AKIAAAAAAAAAAAAAAAA2 30d unused, limit 30d; will be revoked',
    });
    // carol has no login profile: her old PasswordLastUsed is not a credential the runbook touches.
    expect(doc.users[1]?.revoke).toEqual({ password: false, accessKeys: [] });
  });

  it('exits 0 when every user is compliant', async () => {
    const { code, doc } = await runJson(['preview', '--snapshot', mixed, '--max-age', '31', '--now', NOW]);
    expect(code).toBe(0);
    expect(doc.users.every((u) => u.compliance === 'COMPLIANT')).toBe(true);
  });

  it('excludes by UserId exactly and by name case-insensitively, with the same parser as the Lambda', async () => {
    const { code, doc } = await runJson([
      'preview',
      '--snapshot',
      mixed,
      '--max-age',
      '30',
      '--now',
      NOW,
      '--exclude',
      ' AIDAAAAAAAAAAAAAAAA2 ,\nCAROL\r\n',
    ]);
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
    expect(doc.users.find((u) => u.userName === 'zed-fresh')?.excluded).toBe(false);
  });

  it('uses the current time when --now is absent', async () => {
    const later = new Date(Date.parse(NOW) + 365 * DAY).toISOString();
    const result = await run(['preview', '--snapshot', mixed, '--max-age', '30', '--output', 'json'], later);
    const doc = JSON.parse(result.stdout) as { evaluatedAt: string; users: JsonUser[] };
    expect(doc.evaluatedAt).toBe(later);
    expect(doc.users.find((u) => u.userName === 'zed-fresh')?.revoke.password).toBe(true);
  });

  it('accepts an empty user list', async () => {
    const empty = writeJson('empty.json', { accountId: '222222222222', users: [] });
    const { code, doc } = await runJson(['preview', '--snapshot', empty, '--max-age', '90', '--now', NOW]);
    expect(code).toBe(0);
    expect(doc.users).toEqual([]);
  });
});

describe('iam-unused preview --output table', () => {
  it('shows one row per user, non-compliant first, days unused and what would be revoked', async () => {
    const { code, stdout, stderr } = await run([
      'preview',
      '--snapshot',
      mixed,
      '--max-age',
      '30',
      '--now',
      NOW,
    ]);
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

describe('iam-unused preview: bad usage and bad input exit 2 with one line on stderr and nothing on stdout', () => {
  const keyUser = user({
    userName: 'dave',
    userId: 'AIDAAAAAAAAAAAAAAAA4',
    accessKeys: [
      { accessKeyId: 'AKIAAAAAAAAAAAAAAAA4', status: 'Active', createDate: '2025-08-01 10:00:00' },
    ],
  });
  const badDates = writeJson('bad-date.json', {
    accountId: '111111111111',
    users: [
      user(),
      user({ userName: 'b', userId: 'AIDAAAAAAAAAAAAAAAA5' }),
      user({ userName: 'c', userId: 'AIDAAAAAAAAAAAAAAAA6' }),
      keyUser,
    ],
  });
  const noZone = writeJson('no-zone.json', {
    accountId: '111111111111',
    users: [user({ loginProfile: { createDate: '2025-08-01T10:00:00' } })],
  });
  const invalidJson = writeJson(
    'invalid.json',
    '{\n  "accountId": "111111111111",\n  "users": [\n    {"userName": }\n  ]\n}\n',
  );
  const unknownField = writeJson('unknown-field.json', {
    accountId: '111111111111',
    users: [
      user({
        accessKeys: [
          { accessKeyId: 'AKIAAAAAAAAAAAAAAAA1', status: 'Active', createDate: NOW, lastUsed: NOW },
        ],
      }),
    ],
  });
  const badStatus = writeJson('bad-status.json', {
    accountId: '111111111111',
    users: [
      user({ accessKeys: [{ accessKeyId: 'AKIAAAAAAAAAAAAAAAA1', status: 'active', createDate: NOW }] }),
    ],
  });
  const duplicate = writeJson('duplicate.json', {
    accountId: '111111111111',
    users: [user(), user({ userName: 'ALICE', userId: 'AIDAAAAAAAAAAAAAAAA9' })],
  });
  const missingProfile = writeJson('missing-profile.json', {
    accountId: '111111111111',
    users: [{ userName: 'alice', userId: 'AIDAAAAAAAAAAAAAAAA1', createDate: NOW, accessKeys: [] }],
  });
  const ok = ['--snapshot', mixed, '--max-age', '30', '--now', NOW];

  it.each([
    [
      'a missing file',
      ['--snapshot', join(dir, 'nope.json'), '--max-age', '30'],
      /cannot read the --snapshot file ".*nope\.json": no such file/,
    ],
    [
      'a directory',
      ['--snapshot', dir, '--max-age', '30'],
      /cannot read the --snapshot file .*: it is a directory/,
    ],
    [
      'invalid JSON, with its line',
      ['--snapshot', invalidJson, '--max-age', '30'],
      /invalid JSON at line 4, column \d+/,
    ],
    [
      'a date that is not ISO 8601',
      ['--snapshot', badDates, '--max-age', '30'],
      /users\[3\]\.accessKeys\[0\]\.createDate must be an ISO 8601 date-time with a time zone.*got "2025-08-01 10:00:00"/,
    ],
    [
      'a date without a zone',
      ['--snapshot', noZone, '--max-age', '30'],
      /users\[0\]\.loginProfile\.createDate must be an ISO 8601 .*got "2025-08-01T10:00:00"/,
    ],
    [
      'an unknown snapshot field',
      ['--snapshot', unknownField, '--max-age', '30'],
      /users\[0\]\.accessKeys\[0\]\.lastUsed is not a snapshot field/,
    ],
    [
      'a bad key status',
      ['--snapshot', badStatus, '--max-age', '30'],
      /users\[0\]\.accessKeys\[0\]\.status must be "Active" or "Inactive", got "active"/,
    ],
    [
      'a user listed twice',
      ['--snapshot', duplicate, '--max-age', '30'],
      /users\[1\]\.userName repeats users\[0\]\.userName/,
    ],
    [
      'a missing loginProfile',
      ['--snapshot', missingProfile, '--max-age', '30'],
      /users\[0\]\.loginProfile is required/,
    ],
    ['an unknown option', [...ok, '--bogus'], /^error: unknown option '--bogus'/],
    ['an extra argument', [...ok, 'extra'], /too many arguments/],
    ['--max-age 0', ['--snapshot', mixed, '--max-age', '0'], /--max-age must be from 1 to 10000 days, got 0/],
    [
      '--max-age 10001',
      ['--snapshot', mixed, '--max-age', '10001'],
      /--max-age must be from 1 to 10000 days, got 10001/,
    ],
    [
      '--max-age 1.5',
      ['--snapshot', mixed, '--max-age', '1.5'],
      /--max-age must be a whole number of days from 1 to 10000, got "1\.5"/,
    ],
    [
      '--max-age abc',
      ['--snapshot', mixed, '--max-age', 'abc'],
      /--max-age must be a whole number .*got "abc"/,
    ],
    ['--max-age -5', ['--snapshot', mixed, '--max-age=-5'], /--max-age must be a whole number .*got "-5"/],
    ['no --max-age', ['--snapshot', mixed], /--max-age is required/],
    [
      '--now without a zone',
      [...ok, '--now', '2025-08-27T03:00:00'],
      /--now must be an ISO 8601 date-time with a time zone.*got "2025-08-27T03:00:00"/,
    ],
    ['--now as a date only', [...ok, '--now', '2025-08-27'], /--now must be an ISO 8601/],
    [
      '--now on a day that does not exist',
      [...ok, '--now', '2025-02-30T00:00:00Z'],
      /--now must be an ISO 8601/,
    ],
    ['--now as words', [...ok, '--now', 'yesterday'], /--now must be an ISO 8601 .*got "yesterday"/],
    [
      'an invalid exclusion entry',
      [...ok, '--exclude', 'alice,bad name!'],
      /Invalid exclusion list entry in --exclude: "bad name!"/,
    ],
    [
      'an unknown output format',
      [...ok, '--output', 'xml'],
      /argument 'xml' is invalid\. Allowed choices are table, json/,
    ],
    ['no input file', ['--max-age', '30'], /--snapshot FILE/],
  ] as const)('%s', async (_case, args, message) => {
    const { code, stdout, stderr } = await run(['preview', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^[^\n]+\n$/);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(stderr).toMatch(message);
  });
});

describe('iam-unused preview --credential-report', () => {
  const HEADER =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
    'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
    'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
    'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const NO_KEY = 'false,N/A,N/A,N/A,N/A';
  const CERTS = 'false,N/A,false,N/A';
  const row = (name: string, password: string, key1 = NO_KEY, key2 = NO_KEY) =>
    `${name},arn:aws:iam::222222222222:user/${name},2024-01-01T00:00:00+00:00,${password},N/A,false,${key1},${key2},${CERTS}`;
  const csv = (...rows: string[]) =>
    writeJson(`report-${rows.length}-${Math.random()}.csv`, `${[HEADER, ...rows].join('\r\n')}\r\n`);

  const report = csv(
    '<root_account>,arn:aws:iam::222222222222:root,2020-01-01T00:00:00+00:00,not_supported,2025-08-20T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    row('never-used', `true,no_information,${daysBefore(40)}`),
    row('used', `true,${daysBefore(2)},${daysBefore(400)}`),
    row(
      'keys-only',
      'false,N/A,N/A',
      `true,${daysBefore(300)},${daysBefore(30)},us-east-1,s3`,
      `true,${daysBefore(300)},${daysBefore(29)},us-east-1,s3`,
    ),
    row('old-password-gone', `false,${daysBefore(900)},N/A`, `false,${daysBefore(900)},N/A,N/A,N/A`),
  );

  it('decides from the report, names keys by slot, and lists what it had to approximate', async () => {
    const { code, doc } = await runJson([
      'preview',
      '--credential-report',
      report,
      '--max-age',
      '30',
      '--now',
      NOW,
    ]);
    expect(code).toBe(1);
    expect(doc.accountId).toBe('222222222222');
    expect(doc.users.map((u) => [u.userName, u.compliance, u.revoke])).toEqual([
      ['keys-only', 'NON_COMPLIANT', { password: false, accessKeys: ['access_key_1'] }],
      ['never-used', 'NON_COMPLIANT', { password: true, accessKeys: [] }],
      ['old-password-gone', 'COMPLIANT', { password: false, accessKeys: [] }],
      ['used', 'COMPLIANT', { password: false, accessKeys: [] }],
    ]);
    expect(doc.users[0]?.userId).toBe('arn:aws:iam::222222222222:user/keys-only');
    const approximations = doc.approximations as Array<{ userName?: string; field: string; note: string }>;
    expect(approximations.map((a) => [a.userName ?? '(all)', a.field])).toEqual([
      ['(all)', 'userId'],
      ['(all)', 'accessKeys[].accessKeyId'],
      ['never-used', 'loginProfile.createDate'],
    ]);
    expect(approximations[2]?.note).toMatch(/measured from password_last_changed/);
  });

  it('marks the approximated password age in the table and explains it in a footnote', async () => {
    const { stdout } = await run(['preview', '--credential-report', report, '--max-age', '30', '--now', NOW]);
    expect(stdout).toMatch(
      /\nnever-used +NON_COMPLIANT +40d never used STALE \* +no keys +console password\n/,
    );
    expect(stdout).toMatch(/\nused +COMPLIANT +2d +no keys +nothing\n/);
    expect(stdout).toMatch(/\n\* Approximation: the credential report has no login profile creation date/);
    expect(stdout).toContain('Note: the credential report has no UserId');
  });

  it('a header-only report previews no users and exits 0', async () => {
    const { code, doc } = await runJson([
      'preview',
      '--credential-report',
      csv(),
      '--max-age',
      '30',
      '--now',
      NOW,
    ]);
    expect(code).toBe(0);
    expect(doc.users).toEqual([]);
    expect(doc.accountId).toBeNull();
  });

  it.each([
    [
      'both inputs',
      () => ['--snapshot', mixed, '--credential-report', report],
      /exactly one of --snapshot FILE\.json or --credential-report FILE\.csv, not both/,
    ],
    [
      'a missing report',
      () => ['--credential-report', join(dir, 'nope.csv')],
      /cannot read the --credential-report file ".*nope\.csv": no such file/,
    ],
    [
      'a row with a missing field',
      () => ['--credential-report', csv(row('a', 'false,N/A,N/A'), 'b,arn:aws:iam::222222222222:user/b,x')],
      /Credential report line 3: has 3 fields but the header has 22/,
    ],
    [
      'a bad date',
      () => ['--credential-report', csv(row('a', 'true,yesterday,N/A'))],
      /Credential report line 2: column password_last_used is "yesterday"/,
    ],
    [
      'not a credential report',
      () => ['--credential-report', writeJson('other.csv', 'name,age\nalice,3\n')],
      /Credential report line 1: the header lacks columns/,
    ],
    [
      'an active key without a creation date',
      () => ['--credential-report', csv(row('a', 'false,N/A,N/A', 'true,N/A,N/A,N/A,N/A'))],
      /line 2: access_key_1_active is true but access_key_1_last_rotated has no date/,
    ],
    [
      'a password without password_last_changed',
      () => ['--credential-report', csv(row('a', 'true,no_information,N/A'))],
      /line 2: password_enabled is true but password_last_changed has no date/,
    ],
  ] as const)('%s: exit 2, one line naming the problem, nothing on stdout', async (_case, args, message) => {
    const { code, stdout, stderr } = await run(['preview', ...args(), '--max-age', '30', '--now', NOW]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^[^\n]+\n$/);
    expect(stderr).toMatch(message);
  });
});
