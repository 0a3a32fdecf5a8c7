import { CredentialReportParseError } from './errors';

/**
 * A pure parser of the IAM credential report (the CSV that GetCredentialReport and the console
 * give). Shared by the Lambda's report-first facts source and the CLI's offline preview.
 *
 * Report conventions (IAM user guide): `N/A` = not applicable (no password, no key in the slot,
 * key never used), `no_information` = IAM has no record of use (never used, or not since
 * Oct 2014), `not_supported` = the field does not apply to the account root. All three become
 * null in date columns. The `<root_account>` row is skipped: the root is not an IAM user.
 */

export const ROOT_ACCOUNT_ROW = '<root_account>';

/** Columns this parser needs; other columns (mfa, certificates, next rotation...) are optional. */
export const REQUIRED_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
] as const;

const NO_VALUE = new Set(['N/A', 'no_information', 'not_supported']);
/** ISO 8601 date-time with an explicit zone, as the report writes it (2024-05-01T12:34:56+00:00). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

export interface CredentialReportAccessKey {
  readonly slot: 1 | 2;
  readonly active: boolean;
  /** The key's CreateDate; null when the slot holds no key. */
  readonly lastRotated: Date | null;
  /** null when the key was never used (or the slot is empty). */
  readonly lastUsedDate: Date | null;
  readonly lastUsedRegion: string | null;
  readonly lastUsedService: string | null;
}

export interface CredentialReportUser {
  /** 1-based line of the CSV where this record starts. */
  readonly line: number;
  readonly user: string;
  readonly arn: string;
  readonly userCreationTime: Date;
  /** Whether the user had a login profile (console password) when the report was generated. */
  readonly passwordEnabled: boolean;
  /** null for `N/A` (no password) and `no_information` (never used); see passwordLastUsedRaw. */
  readonly passwordLastUsed: Date | null;
  /** The cell as written, to tell `N/A` from `no_information` when that matters. */
  readonly passwordLastUsedRaw: string;
  /** When the password was last set; NOT the login profile's CreateDate (the report has none). */
  readonly passwordLastChanged: Date | null;
  /** null when the report has no mfa_active column. */
  readonly mfaActive: boolean | null;
  /** Slots 1 and 2, in the report's order. Slots carry no key id: match keys by lastRotated. */
  readonly accessKeys: readonly [CredentialReportAccessKey, CredentialReportAccessKey];
}

export interface CredentialReport {
  readonly columns: readonly string[];
  readonly users: readonly CredentialReportUser[];
  readonly rootAccountSkipped: boolean;
}

interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/**
 * RFC 4180 records: comma separated, CRLF or LF line ends, double-quoted fields that may hold
 * commas, line breaks and doubled quotes. Each record keeps the line it starts on for errors.
 * Hand-written, not csv-parse: csv-parse reports where a record or an unclosed quote ENDS, not the
 * line it starts on (our errors name that line), and would double the inline bundle (~30 KB more).
 */
export function parseCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const end = text.length;
  // Slicing between separators rather than appending characters: a 10,000-user report is ~3 MB.
  const separator = /[,\r\n"]/g;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (pos < end) {
    const recordLine = line;
    const fields: string[] = [];
    let quotedAny = false;
    for (;;) {
      let value: string;
      if (text[pos] === '"') {
        quotedAny = true;
        let close = pos + 1;
        for (;;) {
          close = text.indexOf('"', close);
          if (close === -1) {
            throw new CredentialReportParseError('a quoted field is never closed (missing ")', recordLine);
          }
          if (text[close + 1] !== '"') break;
          close += 2;
        }
        value = text.slice(pos + 1, close).replaceAll('""', '"');
        for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) line++;
        pos = close + 1;
        const next = text[pos];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new CredentialReportParseError(
            `unexpected ${JSON.stringify(next)} after a closing double quote; separate fields with commas`,
            line,
          );
        }
      } else {
        separator.lastIndex = pos;
        const found = separator.exec(text);
        const stop = found ? found.index : end;
        if (found?.[0] === '"') {
          throw new CredentialReportParseError(
            'a double quote inside an unquoted field; quote the whole field and double the inner quotes (RFC 4180)',
            line,
          );
        }
        value = text.slice(pos, stop);
        pos = stop;
      }
      fields.push(value);
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      // End of record: CRLF, LF, CR or the end of the text.
      if (text[pos] === '\r' && text[pos + 1] === '\n') pos++;
      if (pos < end) {
        pos++;
        line++;
      }
      break;
    }
    // A blank line (one empty unquoted field) is not a record.
    if (!(fields.length === 1 && fields[0] === '' && !quotedAny)) records.push({ line: recordLine, fields });
  }
  return records;
}

/** Parses the whole report. Throws CredentialReportParseError naming the line and column. */
export function parseCredentialReport(text: string): CredentialReport {
  const records = parseCsvRecords(text);
  const header = records[0];
  if (!header) {
    throw new CredentialReportParseError(
      'the file is empty; expected the CSV from `aws iam get-credential-report` (header line first)',
    );
  }
  const columns = header.fields.map((c) => c.trim());
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new CredentialReportParseError(
      `the header lacks column${missing.length === 1 ? '' : 's'} ${missing.join(', ')}; ` +
        'is this an IAM credential report (aws iam get-credential-report)?',
      header.line,
    );
  }
  const index = new Map(columns.map((c, i) => [c, i]));
  const users: CredentialReportUser[] = [];
  const seen = new Map<string, number>();
  let rootAccountSkipped = false;
  for (const record of records.slice(1)) {
    if (record.fields.length !== columns.length) {
      throw new CredentialReportParseError(
        `has ${record.fields.length} fields but the header has ${columns.length}; quote fields that contain commas`,
        record.line,
      );
    }
    const cell = new Cells(record, index);
    const user = cell.text('user');
    if (user === ROOT_ACCOUNT_ROW) {
      rootAccountSkipped = true;
      continue;
    }
    if (user === '') throw new CredentialReportParseError('column user is empty', record.line);
    const lower = user.toLowerCase();
    const earlier = seen.get(lower);
    if (earlier !== undefined) {
      throw new CredentialReportParseError(
        `user ${JSON.stringify(user)} appears again (first on line ${earlier}); IAM user names are unique`,
        record.line,
      );
    }
    seen.set(lower, record.line);
    const passwordLastUsedRaw = cell.text('password_last_used');
    users.push({
      line: record.line,
      user,
      arn: cell.text('arn'),
      userCreationTime: cell.requiredDate('user_creation_time'),
      passwordEnabled: cell.boolean('password_enabled'),
      passwordLastUsed: cell.optionalDate('password_last_used'),
      passwordLastUsedRaw,
      passwordLastChanged: cell.optionalDate('password_last_changed'),
      mfaActive: index.has('mfa_active') ? cell.boolean('mfa_active') : null,
      accessKeys: [cell.accessKey(1), cell.accessKey(2)],
    });
  }
  return { columns, users, rootAccountSkipped };
}

/** Typed access to one record's cells; every error names the line, the column and the value. */
class Cells {
  constructor(
    private readonly record: CsvRecord,
    private readonly index: ReadonlyMap<string, number>,
  ) {}

  text(column: string): string {
    const at = this.index.get(column);
    return at === undefined ? '' : (this.record.fields[at] ?? '');
  }

  optionalText(column: string): string | null {
    const value = this.text(column);
    return value === '' || NO_VALUE.has(value) ? null : value;
  }

  boolean(column: string): boolean {
    const value = this.text(column);
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw this.error(column, value, '"true" or "false"');
  }

  optionalDate(column: string): Date | null {
    const value = this.text(column);
    if (NO_VALUE.has(value)) return null;
    return this.date(column, value, 'an ISO 8601 date-time with zone, N/A, no_information or not_supported');
  }

  requiredDate(column: string): Date {
    return this.date(column, this.text(column), 'an ISO 8601 date-time with zone');
  }

  accessKey(slot: 1 | 2): CredentialReportAccessKey {
    const prefix = `access_key_${slot}`;
    return {
      slot,
      active: this.boolean(`${prefix}_active`),
      lastRotated: this.optionalDate(`${prefix}_last_rotated`),
      lastUsedDate: this.optionalDate(`${prefix}_last_used_date`),
      lastUsedRegion: this.optionalText(`${prefix}_last_used_region`),
      lastUsedService: this.optionalText(`${prefix}_last_used_service`),
    };
  }

  private date(column: string, value: string, expected: string): Date {
    const parsed = ISO_DATE_TIME.test(value) && isCalendarDate(value) ? new Date(value) : undefined;
    if (parsed === undefined || Number.isNaN(parsed.getTime())) throw this.error(column, value, expected);
    return parsed;
  }

  private error(column: string, value: string, expected: string): CredentialReportParseError {
    return new CredentialReportParseError(
      `column ${column} is ${JSON.stringify(value)}, expected ${expected}`,
      this.record.line,
    );
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Date.parse rolls 2024-02-30 over to March 1st; a report never holds such a date. */
function isCalendarDate(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day >= 1 && day <= days;
}
