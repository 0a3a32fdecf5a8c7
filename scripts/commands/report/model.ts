import { MS_PER_DAY } from '../../../evaluator/decision';
import { oldestCredential, parseAnnotation } from './annotation';

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
  readonly rows: readonly ComplianceRow[];
  readonly revokedNext: readonly RevokeNext[];
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
    if (!oldest || parsed.limitDays === undefined) continue;
    // The annotation's age was rounded down when recorded, so the age now is at most the recorded
    // age plus the elapsed days rounded up: days left never come out later than the runbook's.
    const elapsed = row.recordedAt
      ? Math.max(0, Math.ceil((now.getTime() - row.recordedAt.getTime()) / MS_PER_DAY))
      : 0;
    const ageDays = oldest.ageDays + elapsed;
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
  return { generatedAt: now, source, accounts, rows, revokedNext: revokedNext(all, now) };
}

/** Exit 1 when the output shows a non-compliant user or an account could not be read. */
export function complianceHasFindings(report: ComplianceReport): boolean {
  return report.rows.some((r) => r.compliance === 'NON_COMPLIANT') || report.accounts.some((a) => a.error);
}
