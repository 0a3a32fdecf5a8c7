import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dir, givenMixedSnapshot, givenSnapshot, NOW, run, user, writeJson } from './fixture';

describe('iam-unused preview: bad usage and bad input exit 2 with one line on stderr and nothing on stdout', () => {
  const keyUser = user({
    userName: 'dave',
    userId: 'AIDAAAAAAAAAAAAAAAA4',
    accessKeys: [
      { accessKeyId: 'AKIAAAAAAAAAAAAAAAA4', status: 'Active', createDate: '2025-08-01 10:00:00' },
    ],
  });
  const badDates = givenSnapshot('bad-date.json', [
    user(),
    user({ userName: 'b', userId: 'AIDAAAAAAAAAAAAAAAA5' }),
    user({ userName: 'c', userId: 'AIDAAAAAAAAAAAAAAAA6' }),
    keyUser,
  ]);
  const noZone = givenSnapshot('no-zone.json', [
    user({ loginProfile: { createDate: '2025-08-01T10:00:00' } }),
  ]);
  const invalidJson = writeJson(
    'invalid.json',
    '{\n  "accountId": "111111111111",\n  "users": [\n    {"userName": }\n  ]\n}\n',
  );
  const unknownField = givenSnapshot('unknown-field.json', [
    user({
      accessKeys: [{ accessKeyId: 'AKIAAAAAAAAAAAAAAAA1', status: 'Active', createDate: NOW, lastUsed: NOW }],
    }),
  ]);
  const badStatus = givenSnapshot('bad-status.json', [
    user({ accessKeys: [{ accessKeyId: 'AKIAAAAAAAAAAAAAAAA1', status: 'active', createDate: NOW }] }),
  ]);
  const duplicate = givenSnapshot('duplicate.json', [
    user(),
    user({ userName: 'ALICE', userId: 'AIDAAAAAAAAAAAAAAAA9' }),
  ]);
  const missingProfile = givenSnapshot('missing-profile.json', [
    { userName: 'alice', userId: 'AIDAAAAAAAAAAAAAAAA1', createDate: NOW, accessKeys: [] },
  ]);
  const mixed = givenMixedSnapshot();
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
    // Given the input and flags of the case, When
    const { code, stdout, stderr } = await run(['preview', ...args]);
    // Then
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^[^\n]+\n$/);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(stderr).toMatch(message);
  });
});
