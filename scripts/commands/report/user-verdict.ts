import { daysSince, MS_PER_DAY } from '../../../evaluator/decision';
import {
  type CredentialVerdict,
  earliestRevokeOn,
  type UserVerdict,
  utcDay,
} from '../../verdicts/user-verdict';
import { type AnnotatedCredential, type ParsedAnnotation, parseAnnotation } from './annotation';
import type { ComplianceRow } from './model';

/**
 * The shared user shape from what Config holds: every structured field is read back from the
 * annotation (annotation.ts), in its age form or its dated form; what it does not say stays null.
 */

/**
 * The earliest instant the credential may have been last used (or created). An age was rounded
 * down when recorded, so the use lies more than `ageDays` and at most `ageDays + 1` days before
 * `recordedAt`; a date names the UTC day. Taking the earliest instant means days unused and
 * revokeOn are never later than the runbook's.
 */
export function sinceOf(c: AnnotatedCredential, recordedAt: Date | undefined, now: Date): Date | undefined {
  if (c.sinceDay !== undefined) return new Date(`${c.sinceDay}T00:00:00.000Z`);
  if (c.ageDays === undefined) return undefined;
  return new Date((recordedAt ?? now).getTime() - (c.ageDays + 1) * MS_PER_DAY + 1);
}

function credentialOf(
  c: AnnotatedCredential,
  parsed: ParsedAnnotation,
  row: ComplianceRow,
  now: Date,
): CredentialVerdict {
  const since = sinceOf(c, row.recordedAt, now);
  const limit = parsed.limitDays;
  const daysUnused = since === undefined ? null : Math.max(0, daysSince(since, now));
  return {
    credential: c.credential,
    accessKeyId: c.accessKeyId ?? null,
    daysUnused,
    neverUsed: c.neverUsed,
    stale: daysUnused !== null && limit !== undefined && daysUnused >= limit,
    revokeOn:
      since === undefined || limit === undefined
        ? null
        : utcDay(new Date(since.getTime() + limit * MS_PER_DAY)),
  };
}

/**
 * What is revoked: the state token when the annotation has one; otherwise every credential a
 * NON_COMPLIANT annotation names (it names only the stale ones).
 */
function revokeOf(parsed: ParsedAnnotation, row: ComplianceRow): UserVerdict['revoke'] {
  if (row.compliance !== 'NON_COMPLIANT') return { password: false, accessKeys: [] };
  if (parsed.revoke) return parsed.revoke;
  return {
    password: parsed.credentials.some((c) => c.credential === 'password'),
    accessKeys: parsed.credentials.flatMap((c) => (c.accessKeyId === undefined ? [] : [c.accessKeyId])),
  };
}

export function userFromRow(row: ComplianceRow, now: Date): UserVerdict {
  const parsed = parseAnnotation(row.annotation);
  const credentials = parsed.credentials.map((c) => credentialOf(c, parsed, row, now));
  return {
    accountId: row.accountId,
    accountName: row.accountName,
    region: row.region,
    userName: row.userName,
    userId: row.userId,
    compliance: row.compliance,
    excluded: row.excluded,
    excludedBy: parsed.exclusion ?? null,
    revoke: revokeOf(parsed, row),
    credentials,
    revokeOn: earliestRevokeOn(row.excluded, credentials),
    annotation: row.annotation,
    recordedAt: row.recordedAt?.toISOString() ?? null,
  };
}
