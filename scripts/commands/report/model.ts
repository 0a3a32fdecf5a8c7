import { daysSince } from '../../../evaluator/decision';
import type { UserVerdict } from '../../verdicts/user-verdict';
import { oldestCredential, parseAnnotation } from './annotation';
import { sinceOf, userFromRow } from './user-verdict';

/**
 * The compliance report, built purely from what was read (aggregator or one account):
 * rows per evaluated user, a summary per account, and the users closest to revocation.
 */

export interface ComplianceRow {
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  /** The Config resource id: the IAM UserId. */
  readonly userId: string;
  /** From Config's resource inventory / IAM, else from the annotation, else empty. */
  readonly userName: string;
  readonly compliance: string;
  readonly annotation: string;
  readonly recordedAt?: Date;
  readonly excluded: boolean;
}

/** What one account gave: its rows, or why they could not be read. */
export type AccountRead =
  | {
      readonly accountId: string;
      readonly accountName: string;
      readonly rows: readonly ComplianceRow[];
      /** Why an account without rows is fine (the management account in organization mode). */
      readonly note?: string;
    }
  | { readonly accountId: string; readonly accountName: string; readonly error: string };

export interface AccountSummary {
  readonly accountId: string;
  readonly accountName: string;
  readonly users: number;
  readonly nonCompliant: number;
  readonly excluded: number;
  readonly error?: string;
  readonly note?: string;
}

export interface RevokeNext {
  readonly accountId: string;
  readonly accountName: string;
  readonly userName: string;
  readonly userId: string;
  /** The credential closest to the limit, as the annotation names it. */
  readonly credential: string;
  readonly ageDays: number;
  readonly limitDays: number;
  /** Whole days until it reaches the limit, counted from now; 0 = due at the next evaluation. */
  readonly daysLeft: number;
}

export interface ComplianceReport {
  readonly generatedAt: Date;
  readonly source: 'organization' | 'account';
  readonly accounts: readonly AccountSummary[];
  /** The rows shown (filtered by --non-compliant). */
  readonly rows: readonly ComplianceRow[];
  /** `rows` in the shared user shape. */
  readonly users: readonly UserVerdict[];
  /** Every user read, whatever the filters: the HTML page's figures count everyone. */
  readonly allUsers: readonly UserVerdict[];
  readonly revokedNext: readonly RevokeNext[];
  /** MaxCredentialUsageAge as the annotations name it (the largest, if they differ); null if none does. */
  readonly maxAgeDays: number | null;
}

export interface ComplianceFilters {
  readonly nonCompliantOnly: boolean;
}

export const REVOKED_NEXT_LIMIT = 20;
const EXCLUDED_PREFIX = 'EXCLUDED';

export function isExcludedAnnotation(annotation: string | undefined): boolean {
  return annotation?.startsWith(EXCLUDED_PREFIX) === true;
}

/**
 * Compliant, not excluded users whose annotation names a credential age and the limit, sorted by
 * the days they have left. Ages in annotations are as of `recordedAt`, so the days since then count;
 * `daysLeft` is a lower bound (the credential may be up to a day younger than assumed).
 */
export function revokedNext(
  rows: readonly ComplianceRow[],
  now: Date,
  limit = REVOKED_NEXT_LIMIT,
): RevokeNext[] {
  const candidates: RevokeNext[] = [];
  for (const row of rows) {
    if (row.compliance !== 'COMPLIANT' || row.excluded) continue;
    const parsed = parseAnnotation(row.annotation);
    const oldest = oldestCredential(parsed);
    const since = oldest && sinceOf(oldest, row.recordedAt, now);
    if (!oldest || !since || parsed.limitDays === undefined) continue;
    // From the earliest instant the credential may have been used: days left never come out
    // later than the runbook's (an age was rounded down when recorded).
    const ageDays = Math.max(oldest.ageDays ?? 0, daysSince(since, now));
    candidates.push({
      accountId: row.accountId,
      accountName: row.accountName,
      userName: row.userName,
      userId: row.userId,
      credential: oldest.credential === 'password' ? 'password' : `key ${oldest.accessKeyId ?? ''}`.trim(),
      ageDays,
      limitDays: parsed.limitDays,
      daysLeft: Math.max(0, parsed.limitDays - ageDays),
    });
  }
  return candidates
    .sort(
      (a, b) =>
        a.daysLeft - b.daysLeft ||
        a.accountId.localeCompare(b.accountId) ||
        a.userName.localeCompare(b.userName),
    )
    .slice(0, limit);
}

function rank(compliance: string): number {
  return compliance === 'NON_COMPLIANT' ? 0 : compliance === 'COMPLIANT' ? 1 : 2;
}

export function buildComplianceReport(
  reads: readonly AccountRead[],
  source: ComplianceReport['source'],
  now: Date,
  filters: ComplianceFilters,
): ComplianceReport {
  const accounts: AccountSummary[] = reads
    .map((read) =>
      'error' in read
        ? {
            accountId: read.accountId,
            accountName: read.accountName,
            users: 0,
            nonCompliant: 0,
            excluded: 0,
            error: read.error,
          }
        : {
            accountId: read.accountId,
            accountName: read.accountName,
            users: read.rows.length,
            nonCompliant: read.rows.filter((r) => r.compliance === 'NON_COMPLIANT').length,
            excluded: read.rows.filter((r) => r.excluded).length,
            ...(read.note ? { note: read.note } : {}),
          },
    )
    .sort((a, b) => a.accountId.localeCompare(b.accountId));
  const all = reads.flatMap((read) => ('rows' in read ? read.rows : []));
  const rows = all
    .filter((r) => !filters.nonCompliantOnly || r.compliance === 'NON_COMPLIANT')
    .sort(
      (a, b) =>
        rank(a.compliance) - rank(b.compliance) ||
        a.accountId.localeCompare(b.accountId) ||
        a.userName.localeCompare(b.userName) ||
        a.userId.localeCompare(b.userId),
    );
  const limits = all.flatMap((r) => {
    const limit = parseAnnotation(r.annotation).limitDays;
    return limit === undefined ? [] : [limit];
  });
  return {
    generatedAt: now,
    source,
    accounts,
    rows,
    users: rows.map((r) => userFromRow(r, now)),
    allUsers: all.map((r) => userFromRow(r, now)),
    revokedNext: revokedNext(all, now),
    maxAgeDays: limits.length === 0 ? null : Math.max(...limits),
  };
}

/** Exit 1 when the output shows a non-compliant user or an account could not be read. */
export function complianceHasFindings(report: ComplianceReport): boolean {
  return report.rows.some((r) => r.compliance === 'NON_COMPLIANT') || report.accounts.some((a) => a.error);
}
