import YAML, { isMap, isScalar, isSeq, type Node } from 'yaml';
import {
  exclusionValueOf,
  isUserId,
  isValidUserName,
  splitExclusionValue,
} from '../../../evaluator/exclusions';
import { UsageError } from '../../lib/terminal/errors';
import { isAccountId } from '../../lib/terminal/options';

/**
 * Pure pieces of `iam-unused exclusions`: the desired-state file, name validation with the
 * evaluator's own parser rules, the per-account diff and the parameter size limits.
 */

/** SSM parameter value limits (bytes): standard tier 4 KB, advanced tier 8 KB. */
export const STANDARD_TIER_MAX_BYTES = 4096;
export const ADVANCED_TIER_MAX_BYTES = 8192;

export interface ExclusionFile {
  /** Names excluded in every account of the organization (e.g. break-glass users). */
  readonly defaults: readonly string[];
  /** Extra names per account id. */
  readonly accounts: ReadonlyMap<string, readonly string[]>;
}

/**
 * An entry is accepted only if the evaluator's parser would read it back as exactly that one
 * entry: IAM allows commas in user names, but the parameter splits on them.
 */
export function isWritableEntry(entry: string): boolean {
  const split = splitExclusionValue(entry);
  return split.length === 1 && split[0] === entry && (isValidUserName(entry) || isUserId(entry));
}

/** Throws UsageError naming every entry the evaluator would refuse. */
export function validateEntries(entries: readonly string[], source: string): void {
  const invalid = entries.filter((e) => !isWritableEntry(e));
  if (invalid.length > 0) {
    throw new UsageError(
      `${source}: invalid exclusion entr${invalid.length === 1 ? 'y' : 'ies'} ${invalid.map((e) => JSON.stringify(e)).join(', ')}. ` +
        'Each entry must be an IAM user name (1-64 characters of A-Z a-z 0-9 _ + = . @ -, no comma) or a UserId (AIDA...).',
    );
  }
}

/**
 * The identity of an entry, as the evaluator matches it: names case-insensitively (IAM does not
 * distinguish case), UserIds exactly. A lower-case look-alike of a UserId is only a name: treating
 * it as the same entry would call "add AIDA…" a no-op while that user stays unexcluded.
 */
export function entryKey(entry: string): string {
  return isUserId(entry) ? `id:${entry}` : `name:${entry.toLowerCase()}`;
}

/** Entries without duplicates (first spelling wins), in their original order. */
export function dedupeEntries(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const k = entryKey(e);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function desiredEntries(file: ExclusionFile, accountId: string): string[] {
  return dedupeEntries([...file.defaults, ...(file.accounts.get(accountId) ?? [])]);
}

export interface ExclusionDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** The list to write: kept entries keep their current spelling, then the added ones. */
  readonly next: readonly string[];
  readonly changed: boolean;
}

export function diffEntries(current: readonly string[], desired: readonly string[]): ExclusionDiff {
  const desiredKeys = new Set(desired.map(entryKey));
  const currentKeys = new Set(current.map(entryKey));
  const kept = dedupeEntries(current.filter((e) => desiredKeys.has(entryKey(e))));
  const removed = current.filter((e) => !desiredKeys.has(entryKey(e)));
  const added = dedupeEntries(desired.filter((e) => !currentKeys.has(entryKey(e))));
  return { added, removed, next: [...kept, ...added], changed: added.length > 0 || removed.length > 0 };
}

/**
 * The parameter value: the entries joined by commas, or the evaluator's explicit "no exclusions"
 * value (a missing parameter fails every run, so an empty list is never "no parameter").
 */
export function encodeEntries(entries: readonly string[]): string {
  return exclusionValueOf(entries);
}

export function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** Undefined when the value fits; otherwise the one-line reason naming the size and the fix. */
export function sizeProblem(value: string, advancedTier: boolean): string | undefined {
  const bytes = byteLength(value);
  if (bytes <= STANDARD_TIER_MAX_BYTES) return undefined;
  if (bytes > ADVANCED_TIER_MAX_BYTES)
    return `the list is ${bytes} bytes, more than the ${ADVANCED_TIER_MAX_BYTES}-byte advanced-tier limit; exclude fewer users (UserIds are longer than names).`;
  if (!advancedTier)
    return `the list is ${bytes} bytes, more than the ${STANDARD_TIER_MAX_BYTES}-byte standard-tier limit; pass --advanced-tier to store it as an advanced parameter (charged per parameter and month).`;
  return undefined;
}

function readNameList(node: unknown, where: string, source: string): string[] {
  // In the failsafe schema an empty value (`key:`) is the empty string.
  if (node === null || node === undefined) return [];
  if (isScalar(node) && node.value === '') return [];
  if (!isSeq(node))
    throw new UsageError(`${source}: ${where} must be a list of user names, e.g. [alice, bob].`);
  return node.items.map((item, i) => {
    if (!isScalar(item) || typeof item.value !== 'string')
      throw new UsageError(`${source}: ${where} item ${i + 1} must be a user name, got ${String(item)}.`);
    return item.value;
  });
}

/**
 * Parses exclusions.yaml:
 *   defaults: [breakglass]
 *   accounts:
 *     "111111111111": [ci-deployer]
 * Every scalar is read as a string (YAML failsafe schema) so account ids keep leading zeros.
 * Throws UsageError (exit 2) for syntax errors, duplicate keys, unknown keys, bad ids or names,
 * and lists over the parameter size limit.
 */
export function parseExclusionFile(text: string, source: string, advancedTier: boolean): ExclusionFile {
  const doc = YAML.parseDocument(text, { schema: 'failsafe', uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const reason =
      first.code === 'DUPLICATE_KEY'
        ? 'duplicate key (an account listed twice?)'
        : (first.message.split('\n')[0] ?? first.code);
    const line = first.linePos?.[0].line;
    throw new UsageError(`${source}${line === undefined ? '' : ` line ${line}`}: ${reason}`, {
      cause: first,
    });
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === ''))
    throw new UsageError(`${source}: the file is empty; expected "defaults:" and/or "accounts:".`);
  if (!isMap(root)) throw new UsageError(`${source}: expected a mapping with "defaults:" and "accounts:".`);
  let defaults: string[] = [];
  const accounts = new Map<string, string[]>();
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (key === 'defaults') {
      defaults = readNameList(pair.value, 'defaults', source);
      validateEntries(defaults, `${source} defaults`);
    } else if (key === 'accounts') {
      const value = pair.value as Node | null;
      if (value === null || (isScalar(value) && value.value === '')) continue;
      if (!isMap(value))
        throw new UsageError(
          `${source}: accounts must map account ids to lists, e.g. "111111111111": [alice].`,
        );
      for (const entry of value.items) {
        const id = isScalar(entry.key) ? String(entry.key.value) : String(entry.key);
        if (!isAccountId(id))
          throw new UsageError(`${source}: accounts key "${id}" is not a 12-digit AWS account id.`);
        const names = readNameList(entry.value, `accounts.${id}`, source);
        validateEntries(names, `${source} accounts.${id}`);
        accounts.set(id, names);
      }
    } else {
      throw new UsageError(`${source}: unknown key "${key}"; only "defaults" and "accounts" are allowed.`);
    }
  }
  const file: ExclusionFile = { defaults, accounts };
  // Accounts not listed get the defaults alone, which is never larger than a listed account's list.
  for (const id of ['', ...accounts.keys()]) {
    const problem = sizeProblem(encodeEntries(desiredEntries(file, id)), advancedTier);
    if (problem) throw new UsageError(`${source}: ${id === '' ? 'defaults' : `account ${id}`}: ${problem}`);
  }
  return file;
}
