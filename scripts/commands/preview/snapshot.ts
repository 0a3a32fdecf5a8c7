import { type CredentialReportUser, parseCredentialReport } from '../../../evaluator/credential-report';
import type { AccessKeyFacts, UserFacts } from '../../../evaluator/decision';
import { errorMessage } from '../../../evaluator/error-text';
import { CredentialReportParseError } from '../../../evaluator/errors';
import { isUserId, isValidUserName } from '../../../evaluator/exclusions';
import { UsageError } from '../../lib/terminal/errors';

/**
 * The offline snapshot `iam-unused preview --snapshot` reads: the facts the Lambda gathers from
 * IAM, written down as JSON. Parsing is strict (unknown keys and zone-less dates are errors)
 * because a typo silently read as "never used" would change the verdict the preview shows.
 */
export interface Snapshot {
  readonly accountId: string;
  readonly users: readonly UserFacts[];
}

/** A place where an input file could not give the exact fact the runbook uses. */
export interface Approximation {
  /** The user it concerns; absent when it concerns every user of the input. */
  readonly userName?: string;
  /** The fact that is approximated, in snapshot terms (e.g. `loginProfile.createDate`). */
  readonly field: string;
  readonly note: string;
}

/** Facts from a credential report, with what they could only approximate. */
export interface ReportFacts {
  readonly accountId: string | null;
  readonly users: readonly UserFacts[];
  readonly approximations: readonly Approximation[];
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

export const ISO_EXAMPLE = '2025-08-27T03:00:00Z';

/**
 * Parses an ISO 8601 date-time that carries its time zone (`Z` or `±HH:MM`); returns undefined
 * for anything else. Without a zone the instant depends on the machine's clock settings, which
 * could shift a credential across the day boundary the runbook counts.
 */
export function parseIsoInstant(value: string): Date | undefined {
  const m = ISO_INSTANT.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const millis = frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  const offsetHours = z ? 0 : Number(oh);
  const offsetMinutes = z ? 0 : Number(om);
  const daysInMonth = new Date(Date.UTC(2000 + (year % 400), month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, millis);
  const offsetMs = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(local.getTime() - offsetMs);
}

/** Collects the location of a value for error messages, e.g. `users[3].accessKeys[0].createDate`. */
class Reader {
  constructor(private readonly source: string) {}

  /** `got` is omitted for problems where the value adds nothing (it is shown otherwise, even if absent). */
  fail(path: string, problem: string, got?: { readonly value: unknown }): never {
    const shown = got ? `, got ${describeValue(got.value)}` : '';
    throw new UsageError(`${this.source}: ${path} ${problem}${shown}. Fix the snapshot file.`);
  }

  object(value: unknown, path: string, allowed: readonly string[]): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path || 'the document', 'must be a JSON object', { value });
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) {
        this.fail(join(path, key), `is not a snapshot field (expected one of ${allowed.join(', ')})`, {
          value: record[key],
        });
      }
    }
    return record;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'must be a JSON array', { value });
    return value;
  }

  string(value: unknown, path: string, check: (s: string) => boolean, expected: string): string {
    if (typeof value !== 'string' || !check(value)) this.fail(path, `must be ${expected}`, { value });
    return value;
  }

  date(value: unknown, path: string): Date {
    const date = typeof value === 'string' ? parseIsoInstant(value) : undefined;
    if (!date)
      this.fail(path, `must be an ISO 8601 date-time with a time zone, e.g. "${ISO_EXAMPLE}"`, { value });
    return date;
  }

  /** An optional date: absent or null both mean "no record of use". */
  optionalDate(value: unknown, path: string): Date | null {
    return value === undefined || value === null ? null : this.date(value, path);
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const ACCOUNT_ID = /^\d{12}$/;
/** IAM API model: access key ids are 16-128 word characters. */
const ACCESS_KEY_ID = /^\w{16,128}$/;

/** Validates a parsed snapshot document; throws UsageError naming the field path and the value. */
export function readSnapshot(document: unknown, source: string): Snapshot {
  const r = new Reader(source);
  const root = r.object(document, '', ['accountId', 'users']);
  const accountId = r.string(
    root.accountId,
    'accountId',
    (s) => ACCOUNT_ID.test(s),
    'a 12-digit AWS account id',
  );
  const users = r.array(root.users, 'users').map((value, i) => readUser(r, value, `users[${i}]`));
  rejectDuplicates(r, users);
  return { accountId, users };
}

function readUser(r: Reader, value: unknown, path: string): UserFacts {
  const u = r.object(value, path, [
    'userName',
    'userId',
    'createDate',
    'passwordLastUsed',
    'loginProfile',
    'accessKeys',
  ]);
  const userName = r.string(
    u.userName,
    `${path}.userName`,
    isValidUserName,
    'an IAM user name (1-64 characters of A-Z a-z 0-9 _ + = , . @ -)',
  );
  const userId = r.string(
    u.userId,
    `${path}.userId`,
    isUserId,
    'an IAM UserId (AIDA followed by 12+ A-Z 0-9)',
  );
  r.date(u.createDate, `${path}.createDate`);
  const passwordLastUsed = r.optionalDate(u.passwordLastUsed, `${path}.passwordLastUsed`);
  if (u.loginProfile === undefined) {
    r.fail(`${path}.loginProfile`, 'is required: {"createDate": ...} for a console password, or null', {
      value: undefined,
    });
  }
  let loginProfile: UserFacts['loginProfile'] = null;
  if (u.loginProfile !== null) {
    const lp = r.object(u.loginProfile, `${path}.loginProfile`, ['createDate']);
    loginProfile = { createDate: r.date(lp.createDate, `${path}.loginProfile.createDate`) };
  }
  const accessKeys = r
    .array(u.accessKeys, `${path}.accessKeys`)
    .map((key, k) => readAccessKey(r, key, `${path}.accessKeys[${k}]`));
  return { userName, userId, passwordLastUsed, loginProfile, accessKeys };
}

function readAccessKey(r: Reader, value: unknown, path: string): AccessKeyFacts {
  const k = r.object(value, path, ['accessKeyId', 'status', 'createDate', 'lastUsedDate']);
  return {
    accessKeyId: r.string(
      k.accessKeyId,
      `${path}.accessKeyId`,
      (s) => ACCESS_KEY_ID.test(s),
      'an access key id (16-128 letters and digits)',
    ),
    status: r.string(
      k.status,
      `${path}.status`,
      (s) => s === 'Active' || s === 'Inactive',
      '"Active" or "Inactive"',
    ) as AccessKeyFacts['status'],
    createDate: r.date(k.createDate, `${path}.createDate`),
    lastUsedDate: r.optionalDate(k.lastUsedDate, `${path}.lastUsedDate`),
  };
}

/** IAM names are unique regardless of case and UserIds are unique: a repeat means a broken snapshot. */
function rejectDuplicates(r: Reader, users: readonly UserFacts[]): void {
  const names = new Map<string, number>();
  const ids = new Map<string, number>();
  users.forEach((user, i) => {
    const sameName = names.get(user.userName.toLowerCase());
    if (sameName !== undefined) {
      r.fail(`users[${i}].userName`, `repeats users[${sameName}].userName (IAM names ignore case)`, {
        value: user.userName,
      });
    }
    const sameId = ids.get(user.userId);
    if (sameId !== undefined)
      r.fail(`users[${i}].userId`, `repeats users[${sameId}].userId`, { value: user.userId });
    names.set(user.userName.toLowerCase(), i);
    ids.set(user.userId, i);
  });
}

/** Parses snapshot JSON text; a syntax error names the line and column. */
export function parseSnapshot(text: string, source: string): Snapshot {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (cause) {
    const detail = errorMessage(cause);
    throw new UsageError(
      `${source}: invalid JSON at ${jsonErrorLocation(text)}: ${detail.split('\n')[0]}. Fix the snapshot file.`,
      { cause },
    );
  }
  return readSnapshot(document, source);
}

/**
 * Line and column of the first JSON syntax error. Node 20's JSON.parse names a position for some
 * errors and only a snippet for others, so the text is scanned again to find it.
 */
export function jsonErrorLocation(text: string): string {
  const offset = Math.min(firstJsonErrorOffset(text) ?? text.length, text.length);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * A minimal JSON grammar walk: the offset where the text stops being valid JSON (text.length when
 * it ends too early), or undefined when it is valid.
 */
export function firstJsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text.charAt(i) !== ch) fail();
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      const ch = text.charAt(i);
      if (ch === '' || ch < ' ') fail();
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        i++;
        const esc = text.charAt(i);
        if (esc === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(text.charAt(i))) fail();
          }
        } else if (!'"\\/bfnrt'.includes(esc) || esc === '') fail();
      }
      i++;
    }
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    ws();
    const ch = text.charAt(i);
    if (ch === '{') {
      i++;
      ws();
      if (text.charAt(i) === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text.charAt(i) !== '"') fail();
        string();
        ws();
        if (text.charAt(i) !== ':') fail();
        i++;
        value();
        ws();
        const next = text.charAt(i);
        i++;
        if (next === '}') return;
        if (next !== ',') {
          i--;
          fail();
        }
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text.charAt(i) === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        const next = text.charAt(i);
        i++;
        if (next === ']') return;
        if (next !== ',') {
          i--;
          fail();
        }
      }
    }
    if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else if (ch === '-' || (ch >= '0' && ch <= '9')) number();
    else fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (offset) {
    if (typeof offset === 'number') return offset;
    throw offset;
  }
  return undefined;
}

/** The report names keys by slot only; these stand in for the access key ids. */
export function reportKeyId(slot: 1 | 2): string {
  return `access_key_${slot}`;
}

const ARN_ACCOUNT = /^arn:aws[\w-]*:iam::(\d{12}):/;

/**
 * Turns an IAM credential report (CSV) into decision facts. The report has no UserId (the ARN
 * stands in), no access key ids (the slot name stands in) and no login profile CreateDate: a
 * never-used password is measured from password_last_changed, which is never earlier than the
 * login profile's creation, so such a password can look younger than the runbook will count it.
 */
export function factsFromCredentialReport(text: string): ReportFacts {
  const report = parseCredentialReport(text);
  const approximations: Approximation[] = [
    {
      field: 'userId',
      note: 'the credential report has no UserId: the ARN stands in for it, so exclusion entries by UserId (AIDA...) match nobody.',
    },
    {
      field: 'accessKeys[].accessKeyId',
      note: `the credential report has no access key ids: keys are named by report slot (${reportKeyId(1)}, ${reportKeyId(2)}).`,
    },
  ];
  const users = report.users.map((row) => {
    const user = userFromReportRow(row);
    if (user.loginProfile && user.passwordLastUsed === null) {
      approximations.push({
        userName: row.user,
        field: 'loginProfile.createDate',
        note:
          'the credential report has no login profile creation date, so a never-used password is measured from ' +
          'password_last_changed; if the password was changed after the login profile was created, the runbook counts more days.',
      });
    }
    return user;
  });
  const first = report.users[0];
  return { accountId: first ? (ARN_ACCOUNT.exec(first.arn)?.[1] ?? null) : null, users, approximations };
}

function userFromReportRow(row: CredentialReportUser): UserFacts {
  let loginProfile: UserFacts['loginProfile'] = null;
  if (row.passwordEnabled) {
    if (row.passwordLastChanged === null) {
      throw new CredentialReportParseError(
        `password_enabled is true but password_last_changed has no date for user ${JSON.stringify(row.user)}`,
        row.line,
      );
    }
    loginProfile = { createDate: row.passwordLastChanged };
  }
  const accessKeys: AccessKeyFacts[] = [];
  for (const slot of row.accessKeys) {
    if (slot.lastRotated === null) {
      if (slot.active) {
        throw new CredentialReportParseError(
          `access_key_${slot.slot}_active is true but access_key_${slot.slot}_last_rotated has no date for user ${JSON.stringify(row.user)}`,
          row.line,
        );
      }
      continue; // an empty slot
    }
    accessKeys.push({
      accessKeyId: reportKeyId(slot.slot),
      status: slot.active ? 'Active' : 'Inactive',
      createDate: slot.lastRotated,
      lastUsedDate: slot.lastUsedDate,
    });
  }
  return {
    userName: row.user,
    userId: row.arn,
    passwordLastUsed: row.passwordLastUsed,
    loginProfile,
    accessKeys,
  };
}
