import { describe, expect, it } from 'vitest';
import { parseCredentialReport, parseCsvRecords, REQUIRED_COLUMNS } from '../../evaluator/credential-report';
import { CredentialReportParseError } from '../../evaluator/errors';
import { exitCodeFor } from '../../scripts/lib/terminal/exit-codes';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,' +
  'mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,' +
  'access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,' +
  'access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,' +
  'cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

const ROOT =
  '<root_account>,arn:aws:iam::111111111111:root,2020-01-01T00:00:00+00:00,not_supported,2024-05-01T10:00:00+00:00,' +
  'not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';

function userRow(overrides: Partial<Record<string, string>> = {}): string {
  const values: Record<string, string> = {
    user: 'alice',
    arn: 'arn:aws:iam::111111111111:user/alice',
    user_creation_time: '2023-01-02T03:04:05+00:00',
    password_enabled: 'true',
    password_last_used: '2024-04-30T08:00:00+00:00',
    password_last_changed: '2023-01-02T03:05:00+00:00',
    password_next_rotation: 'N/A',
    mfa_active: 'true',
    access_key_1_active: 'true',
    access_key_1_last_rotated: '2023-06-01T00:00:00+00:00',
    access_key_1_last_used_date: '2024-04-29T12:00:00+00:00',
    access_key_1_last_used_region: 'eu-west-1',
    access_key_1_last_used_service: 's3',
    access_key_2_active: 'false',
    access_key_2_last_rotated: 'N/A',
    access_key_2_last_used_date: 'N/A',
    access_key_2_last_used_region: 'N/A',
    access_key_2_last_used_service: 'N/A',
    cert_1_active: 'false',
    cert_1_last_rotated: 'N/A',
    cert_2_active: 'false',
    cert_2_last_rotated: 'N/A',
    ...overrides,
  };
  return HEADER.split(',')
    .map((c) => values[c] ?? '')
    .join(',');
}

/** A report text: the full header line, then each row on its own line. */
function reportOf(...rows: string[]): string {
  return [HEADER, ...rows].join('\n');
}

function parseError(text: string): CredentialReportParseError {
  try {
    parseCredentialReport(text);
  } catch (error) {
    if (error instanceof CredentialReportParseError) return error;
    throw error;
  }
  throw new Error('expected a CredentialReportParseError');
}

describe('parseCsvRecords (RFC 4180)', () => {
  it('splits on commas and CRLF or LF and keeps the starting line of each record', () => {
    // When
    const records = parseCsvRecords('a,b\r\nc,d\ne,f\n');
    // Then
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
      { line: 3, fields: ['e', 'f'] },
    ]);
  });

  it('reads quoted fields holding commas, doubled quotes and line breaks', () => {
    // When
    const records = parseCsvRecords('x,"a,b","say ""hi""","two\nlines"\nnext,"",z,w');
    // Then
    expect(records).toEqual([
      { line: 1, fields: ['x', 'a,b', 'say "hi"', 'two\nlines'] },
      { line: 3, fields: ['next', '', 'z', 'w'] },
    ]);
  });

  it('ignores a byte order mark and blank lines, keeps empty trailing fields', () => {
    expect(parseCsvRecords('\ufeffa,\n\nb,c')).toEqual([
      { line: 1, fields: ['a', ''] },
      { line: 3, fields: ['b', 'c'] },
    ]);
  });

  it('rejects an unclosed quote, naming the line where the field starts', () => {
    expect(() => parseCsvRecords('a,b\nc,"d\ne')).toThrow(/line 2: a quoted field is never closed/);
  });

  it('rejects a quote inside an unquoted field and text after a closing quote', () => {
    expect(() => parseCsvRecords('a,b"c')).toThrow(/line 1: a double quote inside an unquoted field/);
    expect(() => parseCsvRecords('a\n"b"c')).toThrow(/line 2: unexpected "c" after a closing double quote/);
  });
});

describe('parseCredentialReport', () => {
  it('types a user row: dates, booleans, key slots, and skips the root account row', () => {
    // When
    const report = parseCredentialReport(reportOf(ROOT, userRow()));
    // Then
    expect(report.rootAccountSkipped).toBe(true);
    expect(report.users).toHaveLength(1);
    const [alice] = report.users;
    expect(alice).toEqual({
      line: 3,
      user: 'alice',
      arn: 'arn:aws:iam::111111111111:user/alice',
      userCreationTime: new Date('2023-01-02T03:04:05Z'),
      passwordEnabled: true,
      passwordLastUsed: new Date('2024-04-30T08:00:00Z'),
      passwordLastUsedRaw: '2024-04-30T08:00:00+00:00',
      passwordLastChanged: new Date('2023-01-02T03:05:00Z'),
      mfaActive: true,
      accessKeys: [
        {
          slot: 1,
          active: true,
          lastRotated: new Date('2023-06-01T00:00:00Z'),
          lastUsedDate: new Date('2024-04-29T12:00:00Z'),
          lastUsedRegion: 'eu-west-1',
          lastUsedService: 's3',
        },
        {
          slot: 2,
          active: false,
          lastRotated: null,
          lastUsedDate: null,
          lastUsedRegion: null,
          lastUsedService: null,
        },
      ],
    });
  });

  it('maps N/A, no_information and not_supported to null and keeps the raw password cell', () => {
    // When
    const report = parseCredentialReport(
      reportOf(
        userRow({
          user: 'no-password',
          password_enabled: 'false',
          password_last_used: 'N/A',
          password_last_changed: 'N/A',
        }),
        userRow({ user: 'never-logged-in', password_last_used: 'no_information' }),
        userRow({ user: 'odd', password_last_changed: 'not_supported', access_key_1_last_used_date: 'N/A' }),
      ),
    );
    // Then
    const [noPassword, never, odd] = report.users;
    expect(noPassword?.passwordEnabled).toBe(false);
    expect(noPassword?.passwordLastUsed).toBeNull();
    expect(noPassword?.passwordLastUsedRaw).toBe('N/A');
    expect(noPassword?.passwordLastChanged).toBeNull();
    expect(never?.passwordLastUsed).toBeNull();
    expect(never?.passwordLastUsedRaw).toBe('no_information');
    expect(odd?.passwordLastChanged).toBeNull();
    expect(odd?.accessKeys[0].lastUsedDate).toBeNull();
    expect(odd?.accessKeys[0].lastRotated).toEqual(new Date('2023-06-01T00:00:00Z'));
    expect(report.rootAccountSkipped).toBe(false);
  });

  it('reads quoted cells and CRLF line ends as IAM and spreadsheets write them', () => {
    // Given
    const row = userRow({ user: 'bob' }).replace('bob', '"bob"').replace('eu-west-1', '"eu-west-1"');
    // When
    const report = parseCredentialReport(`${HEADER}\r\n${row}\r\n`);
    // Then
    expect(report.users.map((u) => u.user)).toEqual(['bob']);
    expect(report.users[0]?.accessKeys[0].lastUsedRegion).toBe('eu-west-1');
  });

  it('accepts columns in any order and without the optional ones', () => {
    // Given
    const columns = [...REQUIRED_COLUMNS].reverse();
    const values: Record<string, string> = {
      user: 'carol',
      arn: 'arn:aws:iam::111111111111:user/carol',
      user_creation_time: '2023-01-01T00:00:00Z',
      password_enabled: 'false',
      password_last_used: 'N/A',
      password_last_changed: 'N/A',
      access_key_1_active: 'false',
      access_key_1_last_rotated: 'N/A',
      access_key_1_last_used_date: 'N/A',
      access_key_2_active: 'false',
      access_key_2_last_rotated: 'N/A',
      access_key_2_last_used_date: 'N/A',
    };
    // When
    const report = parseCredentialReport(`${columns.join(',')}\n${columns.map((c) => values[c]).join(',')}`);
    // Then
    expect(report.users[0]?.user).toBe('carol');
    expect(report.users[0]?.mfaActive).toBeNull();
    expect(report.users[0]?.userCreationTime).toEqual(new Date('2023-01-01T00:00:00Z'));
  });

  it('rejects a header that lacks columns, naming each missing column', () => {
    // Given
    const header = HEADER.replace('password_last_used,', '').replace(',access_key_2_active', '');
    // When
    const error = parseError(`${header}\n`);
    // Then
    expect(error.line).toBe(1);
    expect(error.message).toContain(
      'line 1: the header lacks columns password_last_used, access_key_2_active',
    );
  });

  it('rejects an empty file', () => {
    expect(parseError('').message).toMatch(/the file is empty/);
  });

  it('rejects a date that is not ISO 8601 with zone, naming line, column and value', () => {
    // When
    const error = parseError(
      reportOf(ROOT, userRow(), userRow({ user: 'dave', access_key_1_last_used_date: '2024-05-01' })),
    );
    // Then
    expect(error.line).toBe(4);
    expect(error.message).toBe(
      'Credential report line 4: column access_key_1_last_used_date is "2024-05-01", expected an ISO 8601 date-time with zone, N/A, no_information or not_supported',
    );
    // A bad input file in the CLI: exit 2, like any usage error.
    expect(exitCodeFor(error)).toBe(2);
  });

  it('rejects impossible calendar dates and a missing creation time', () => {
    expect(
      parseError(reportOf(userRow({ password_last_used: '2024-02-30T00:00:00+00:00' }))).message,
    ).toMatch(/line 2: column password_last_used is "2024-02-30T00:00:00\+00:00"/);
    expect(parseError(reportOf(userRow({ user_creation_time: 'N/A' }))).message).toMatch(
      /line 2: column user_creation_time is "N\/A", expected an ISO 8601 date-time with zone$/,
    );
  });

  it('rejects a boolean that is not true/false', () => {
    expect(parseError(reportOf(userRow({ access_key_2_active: 'yes' }))).message).toMatch(
      /line 2: column access_key_2_active is "yes", expected "true" or "false"/,
    );
  });

  it('counts lines inside quoted multi-line cells when naming a later bad line', () => {
    // Given
    const multiLine = userRow({ user: 'erin', access_key_1_last_used_service: '"a\nb"' });
    // When
    const error = parseError(reportOf(multiLine, userRow({ user: 'frank', password_enabled: 'maybe' })));
    // Then
    expect(error.line).toBe(4);
  });

  it('rejects a record with the wrong number of fields', () => {
    expect(parseError(`${HEADER}\nalice,arn`).message).toMatch(/line 2: has 2 fields but the header has 22/);
  });

  it('rejects the same user twice, whatever the case', () => {
    expect(parseError(reportOf(userRow(), userRow({ user: 'ALICE' }))).message).toMatch(
      /line 3: user "ALICE" appears again \(first on line 2\)/,
    );
  });
});
