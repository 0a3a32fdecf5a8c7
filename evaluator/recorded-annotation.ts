import { ANNOTATION_MAX_LENGTH, type CredentialAssessment, MS_PER_DAY, type Verdict } from './decision';

/**
 * The annotation the evaluator records in Config. Unlike `decide`'s (which quotes ages, for a
 * one-off preview), it names dates, so it stays true day after day while the verdict is unchanged,
 * and it ends with the verdict's state token: compliance, exclusion and exactly what would be
 * revoked. The next run compares tokens to tell a changed verdict from an unchanged one.
 *
 *   alice: unused for 90d or more: password last used 2025-01-02; will be revoked [v1 N pw]
 *   bob: no credential unused for 90d or more; oldest key AKIA… last used 2025-05-30, revoke on 2025-08-28 [v1 C]
 *   EXCLUDED carol by name entry "carol"; would otherwise revoke key AKIA… created 2024-01-01 (never used) (limit 90d) [v1 X]
 */

/** Bumped when the token's meaning changes: every recorded verdict is then put again once. */
const STATE_VERSION = 'v1';
const STATE_TOKEN = /\[v1 ([CXN])((?: [A-Za-z0-9]+)*)\]$/;
const TRUNCATION_MARK = '...';

/** The UTC day of an instant, YYYY-MM-DD. */
export function utcDate(t: Date): string {
  return t.toISOString().slice(0, 10);
}

/**
 * The verdict as one stable string: C (compliant), X (excluded) or N (non-compliant), then `pw`
 * when the password would be revoked, then the key ids that would be deactivated, sorted.
 */
export function verdictState(verdict: Verdict): string {
  const kind = verdict.excluded ? 'X' : verdict.compliance === 'NON_COMPLIANT' ? 'N' : 'C';
  const revoke = [...(verdict.revoke.password ? ['pw'] : []), ...[...verdict.revoke.accessKeyIds].sort()];
  return `[${[STATE_VERSION, kind, ...revoke].join(' ')}]`;
}

/** The state token a recorded annotation ends with; undefined for any other text (older formats). */
export function parseVerdictState(annotation: string | undefined): string | undefined {
  const match = annotation === undefined ? null : STATE_TOKEN.exec(annotation);
  return match ? match[0] : undefined;
}

/** `password last used 2025-01-02`, `key AKIA… created 2024-01-01 (never used)`. */
export function describeCredentialByDate(c: CredentialAssessment): string {
  const what = c.credential === 'password' ? 'password' : `key ${c.accessKeyId}`;
  return c.basis === 'created'
    ? `${what} created ${utcDate(c.since)} (never used)`
    : `${what} last used ${utcDate(c.since)}`;
}

function body(verdict: Verdict, maxAgeDays: number): string {
  const stale = verdict.credentials.filter((c) => c.stale);
  const list = (cs: readonly CredentialAssessment[]) => cs.map(describeCredentialByDate).join(', ');
  if (verdict.exclusion) {
    const by = verdict.exclusion.matchedBy === 'userId' ? 'UserId' : 'name';
    const would = stale.length > 0 ? `; would otherwise revoke ${list(stale)} (limit ${maxAgeDays}d)` : '';
    return `EXCLUDED ${verdict.userName} by ${by} entry "${verdict.exclusion.entry.raw}"${would}`;
  }
  if (verdict.compliance === 'NON_COMPLIANT') {
    return `${verdict.userName}: unused for ${maxAgeDays}d or more: ${list(stale)}; will be revoked`;
  }
  if (verdict.credentials.length === 0) {
    return `${verdict.userName}: no console password and no active access key`;
  }
  const oldest = verdict.credentials.reduce((a, b) => (b.since < a.since ? b : a));
  const revokeOn = utcDate(new Date(oldest.since.getTime() + maxAgeDays * MS_PER_DAY));
  return (
    `${verdict.userName}: no credential unused for ${maxAgeDays}d or more; ` +
    `oldest ${describeCredentialByDate(oldest)}, revoke on ${revokeOn}`
  );
}

/** The recorded annotation: 1-256 characters, the state token always whole at the end. */
export function recordedAnnotation(verdict: Verdict, maxAgeDays: number): string {
  const token = verdictState(verdict);
  const room = ANNOTATION_MAX_LENGTH - token.length - 1;
  const text = body(verdict, maxAgeDays);
  const fitted =
    text.length <= room ? text : `${text.slice(0, room - TRUNCATION_MARK.length)}${TRUNCATION_MARK}`;
  return `${fitted} ${token}`;
}
