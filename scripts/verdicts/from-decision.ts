import { type CredentialAssessment, MS_PER_DAY, type Verdict } from '../../evaluator/decision';
import { type CredentialVerdict, earliestRevokeOn, type UserVerdict, utcDay } from './user-verdict';

/** The shared user shape from the evaluator's own verdict (preview: every fact is exact). */

export interface VerdictPlace {
  readonly accountId: string | null;
  readonly accountName: string;
  readonly maxAgeDays: number;
}

function credentialOf(c: CredentialAssessment, maxAgeDays: number): CredentialVerdict {
  return {
    credential: c.credential,
    accessKeyId: c.accessKeyId ?? null,
    daysUnused: c.ageDays,
    neverUsed: c.basis === 'created',
    stale: c.stale,
    // Stale once ageDays (whole days since `since`) reaches the limit: `since` plus the limit.
    revokeOn: utcDay(new Date(c.since.getTime() + maxAgeDays * MS_PER_DAY)),
  };
}

export function userFromVerdict(verdict: Verdict, place: VerdictPlace): UserVerdict {
  const credentials = verdict.credentials.map((c) => credentialOf(c, place.maxAgeDays));
  return {
    accountId: place.accountId,
    accountName: place.accountName,
    region: null,
    userName: verdict.userName,
    userId: verdict.userId,
    compliance: verdict.compliance,
    excluded: verdict.excluded,
    excludedBy: verdict.exclusion
      ? { entry: verdict.exclusion.entry.raw, matchedBy: verdict.exclusion.matchedBy }
      : null,
    revoke: { password: verdict.revoke.password, accessKeys: [...verdict.revoke.accessKeyIds] },
    credentials,
    revokeOn: earliestRevokeOn(verdict.excluded, credentials),
    annotation: verdict.annotation,
    recordedAt: null,
  };
}
