import type { AccountTarget, forEachAccount, SkippedAccount } from '../../lib/aws/targets';

/** One row of `iam-unused exclusions`: what happened to one account's list. */

export type ExclusionStatus =
  | 'listed'
  | 'unchanged'
  | 'would-create'
  | 'would-update'
  | 'created'
  | 'updated'
  | 'conflict'
  /** Written, but on top of a change someone made between our version check and our write. */
  | 'overwrote'
  /** A saved plan was made against another version of the parameter: not written. */
  | 'outdated'
  | 'failed'
  | 'skipped'
  | 'not-deployed';

export interface ExclusionResult {
  readonly accountId: string;
  readonly accountName: string;
  readonly status: ExclusionStatus;
  /** The list after the command (or as read, for list / failures after the read). */
  readonly entries: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** The parameter version read (list, plans) or written. */
  readonly version?: number;
  readonly message?: string;
}

export const FAILED: readonly ExclusionStatus[] = ['conflict', 'overwrote', 'outdated', 'failed', 'skipped'];

export function failedRow(target: AccountTarget, message: string, version?: number): ExclusionResult {
  return {
    accountId: target.accountId,
    accountName: target.accountName,
    status: 'failed',
    entries: [],
    added: [],
    removed: [],
    ...(version === undefined ? {} : { version }),
    message,
  };
}

export function collect(
  results: Awaited<ReturnType<typeof forEachAccount<ExclusionResult>>>,
  skipped: readonly SkippedAccount[],
): ExclusionResult[] {
  const rows: ExclusionResult[] = results.map((r) => (r.ok ? r.value : failedRow(r.target, r.error)));
  for (const s of skipped)
    rows.push({ ...s, status: 'skipped', entries: [], added: [], removed: [], message: s.reason });
  return rows.sort((a, b) => a.accountId.localeCompare(b.accountId));
}
