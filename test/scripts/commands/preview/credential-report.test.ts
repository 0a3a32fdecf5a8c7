import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daysBefore, dir, givenMixedSnapshot, NOW, run, runJson, writeJson } from './fixture';

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
  const mixed = givenMixedSnapshot();
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
    // Given the report above, When
    const { code, doc } = await runJson([
      'preview',
      '--credential-report',
      report,
      '--max-age',
      '30',
      '--now',
      NOW,
    ]);
    // Then
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
    // Given the report above, When
    const { stdout } = await run(['preview', '--credential-report', report, '--max-age', '30', '--now', NOW]);
    // Then
    expect(stdout).toMatch(
      /\nnever-used +NON_COMPLIANT +40d never used STALE \* +no keys +console password\n/,
    );
    expect(stdout).toMatch(/\nused +COMPLIANT +2d +no keys +nothing\n/);
    expect(stdout).toMatch(/\n\* Approximation: the credential report has no login profile creation date/);
    expect(stdout).toContain('Note: the credential report has no UserId');
  });

  it('a header-only report previews no users and exits 0', async () => {
    // Given a report with only the header (csv()), When
    const { code, doc } = await runJson([
      'preview',
      '--credential-report',
      csv(),
      '--max-age',
      '30',
      '--now',
      NOW,
    ]);
    // Then
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
    // Given the input of the case, When
    const { code, stdout, stderr } = await run(['preview', ...args(), '--max-age', '30', '--now', NOW]);
    // Then
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^[^\n]+\n$/);
    expect(stderr).toMatch(message);
  });
});
