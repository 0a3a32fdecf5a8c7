import type { AccessKeyFacts, UserFacts } from '../../../evaluator/decision';
import { errorMessage } from '../../../evaluator/error-text';
import { isUserId, isValidUserName } from '../../../evaluator/exclusions';
import { UsageError } from '../../lib/terminal/errors';
import { fieldPath, schemaValidator } from '../../verdicts/schemas';
import { ISO_EXAMPLE, parseIsoInstant } from './iso-instant';
import { jsonErrorLocation } from './json-error-location';

/**
 * The offline snapshot `iam-unused preview --snapshot` reads: the facts the Lambda gathers from
 * IAM, written down as JSON. Parsing is strict (unknown keys and zone-less dates are errors)
 * because a typo silently read as "never used" would change the verdict the preview shows.
 */
export interface Snapshot {
  readonly accountId: string;
  readonly users: readonly UserFacts[];
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

/**
 * Validates a parsed snapshot document against schemas/snapshot.schema.json (Ajv) and reads it;
 * throws UsageError naming the field path, the value and the fix. The reader below words the
 * message for every problem it knows; Ajv's own words are the fallback, so a document the schema
 * refuses is never read.
 */
export function readSnapshot(document: unknown, source: string): Snapshot {
  const validate = schemaValidator('snapshot');
  if (validate(document)) return readValidSnapshot(document, source);
  readValidSnapshot(document, source);
  const first = validate.errors?.[0];
  const path = first ? fieldPath(first) || 'the document' : 'the document';
  throw new UsageError(
    `${source}: ${path} ${first?.message ?? 'does not match the snapshot schema'} (schemas/snapshot.schema.json). Fix the snapshot file.`,
  );
}

/** The field-by-field reader: converts dates and rejects duplicates, which a schema cannot. */
function readValidSnapshot(document: unknown, source: string): Snapshot {
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
