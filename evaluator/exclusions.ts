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

/** Splits the raw parameter value on commas and newlines, trims, and drops empty entries. */
export function splitExclusionValue(raw: string): string[] {
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
}
