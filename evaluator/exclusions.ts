import { InvalidExclusionListError } from './errors';

/** IAM user names: 1-64 of [\w+=,.@-] (IAM API model). */
const USER_NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM user unique ids start with AIDA followed by upper-case letters and digits. */
const USER_ID = /^AIDA[A-Z0-9]{12,124}$/;

export interface ExclusionEntry {
  /** The entry as written in the parameter (trimmed). */
  readonly raw: string;
  /** `userId` entries pin one user object; `name` entries follow whoever holds the name. */
  readonly kind: 'name' | 'userId';
}

export interface ExclusionMatch {
  readonly entry: ExclusionEntry;
  readonly matchedBy: 'name' | 'userId';
}

export function isValidUserName(value: string): boolean {
  return USER_NAME.test(value);
}

export function isUserId(value: string): boolean {
  return USER_ID.test(value);
}

/**
 * The value that says "this account excludes nobody", on purpose. It can never be a user name
 * (IAM names allow only [A-Za-z0-9_+=,.@-], no parentheses), so it cannot be mistaken for one.
 * A missing parameter is NOT the same thing: the evaluator refuses to run without the parameter
 * (evaluator/aws/exclusion-parameter.ts), so deleting it can never make anyone revocable.
 */
export const NO_EXCLUSIONS_VALUE = '(none)';

/** Whether the raw value is the explicit "no exclusions" marker (surrounding whitespace ignored). */
export function isNoExclusionsValue(raw: string): boolean {
  return raw.trim() === NO_EXCLUSIONS_VALUE;
}

/** The parameter value for a list of entries: the entries joined by commas, or NO_EXCLUSIONS_VALUE. */
export function exclusionValueOf(entries: readonly string[]): string {
  return entries.length === 0 ? NO_EXCLUSIONS_VALUE : entries.join(',');
}

/**
 * Splits the raw parameter value on commas and newlines, trims, and drops empty entries. The
 * lone NO_EXCLUSIONS_VALUE is no entries; mixed with names it stays an (invalid) entry, so a
 * half-edited list fails loudly instead of being read as either meaning.
 */
export function splitExclusionValue(raw: string): string[] {
  if (isNoExclusionsValue(raw)) return [];
  return raw
    .split(/[,\r\n]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/**
 * The parsed exclusion list. Names match case-insensitively (IAM does not distinguish user
 * names by case); UserIds match exactly, so they keep excluding one user object even if a
 * new user is later created under the same name — and stop excluding once that user is gone.
 */
export class ExclusionList {
  static readonly EMPTY = new ExclusionList([]);

  private readonly byLowerName = new Map<string, ExclusionEntry>();
  private readonly byUserId = new Map<string, ExclusionEntry>();

  private constructor(readonly entries: readonly ExclusionEntry[]) {
    for (const entry of entries) {
      if (entry.kind === 'userId') this.byUserId.set(entry.raw, entry);
      // A UserId-shaped entry is also a valid user name; IAM allows a user literally named so.
      this.byLowerName.set(entry.raw.toLowerCase(), entry);
    }
  }

  /**
   * Parses the parameter's raw value. Throws InvalidExclusionListError naming every bad entry:
   * silently skipping one would revoke a user somebody meant to protect.
   */
  static parse(raw: string, source = 'the exclusion list'): ExclusionList {
    const values = splitExclusionValue(raw);
    const invalid = values.filter((value) => !isValidUserName(value) && !isUserId(value));
    if (invalid.length > 0) throw new InvalidExclusionListError(invalid, source);
    return new ExclusionList(
      values.map((value) => ({ raw: value, kind: isUserId(value) ? 'userId' : 'name' }) as const),
    );
  }

  match(user: { readonly userName: string; readonly userId: string }): ExclusionMatch | undefined {
    const byId = this.byUserId.get(user.userId);
    if (byId) return { entry: byId, matchedBy: 'userId' };
    const byName = this.byLowerName.get(user.userName.toLowerCase());
    if (byName) return { entry: byName, matchedBy: 'name' };
    return undefined;
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * The entries that match none of `users` (typos, users since deleted): they protect nobody.
   * Each entry is tested on its own, so a user matched by UserId does not hide an unmatched-
   * looking name entry for the same user.
   */
  unmatched(users: Iterable<{ readonly userName: string; readonly userId: string }>): ExclusionEntry[] {
    const names = new Set<string>();
    const ids = new Set<string>();
    for (const user of users) {
      names.add(user.userName.toLowerCase());
      ids.add(user.userId);
    }
    return this.entries.filter(
      (entry) => !names.has(entry.raw.toLowerCase()) && !(entry.kind === 'userId' && ids.has(entry.raw)),
    );
  }
}
