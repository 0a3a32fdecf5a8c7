import type { ExclusionList, ExclusionMatch } from './exclusions';

/**
 * The decision mirrors the remediation runbook AWSConfigRemediation-RevokeUnusedIAMUserCredentials
 * v5, credential by credential: a user is NON_COMPLIANT exactly when the runbook would change
 * something (delete the login profile or deactivate an active key), unless the user is excluded.
 */

export const MS_PER_DAY = 24 * 60 * 60 * 1000;

export type AccessKeyStatus = 'Active' | 'Inactive';
export type Compliance = 'COMPLIANT' | 'NON_COMPLIANT';

export interface AccessKeyFacts {
  readonly accessKeyId: string;
  readonly status: AccessKeyStatus;
  readonly createDate: Date;
  /** null when IAM has no record of the key being used. */
  readonly lastUsedDate: Date | null;
}

export interface UserFacts {
  readonly userName: string;
  /** The IAM UserId (AIDA...), which is also the Config resource id. */
  readonly userId: string;
  /** null when the password was never used (or not since Oct 2014). */
  readonly passwordLastUsed: Date | null;
  /** null when the user has no login profile (no console password). */
  readonly loginProfile: { readonly createDate: Date } | null;
  readonly accessKeys: readonly AccessKeyFacts[];
}

export interface Policy {
  /** MaxCredentialUsageAge: a credential is stale when it is unused for at least this many whole days. */
  readonly maxAgeDays: number;
  readonly exclusions: ExclusionList;
}

export interface CredentialAssessment {
  readonly credential: 'password' | 'accessKey';
  /** The access key id; absent for the password. */
  readonly accessKeyId?: string;
  /** The instant the runbook measures from. */
  readonly since: Date;
  /** Whether `since` is the last use or, for a never-used credential, its creation. */
  readonly basis: 'lastUsed' | 'created';
  readonly ageDays: number;
  readonly stale: boolean;
}

export interface Verdict {
  readonly userName: string;
  readonly userId: string;
  readonly compliance: Compliance;
  readonly excluded: boolean;
  readonly exclusion?: ExclusionMatch;
  /** What the runbook would revoke for this user; empty for excluded or compliant users. */
  readonly revoke: { readonly password: boolean; readonly accessKeyIds: readonly string[] };
  /** The password (with a login profile) and every active key, as the runbook sees them. */
  readonly credentials: readonly CredentialAssessment[];
  /** Config annotation: 1-256 characters. */
  readonly annotation: string;
}

export const ANNOTATION_MAX_LENGTH = 256;

/** Whole days between t and now, rounded down (Python's timedelta.days, which the runbook uses). */
export function daysSince(t: Date, now: Date): number {
  return Math.floor((now.getTime() - t.getTime()) / MS_PER_DAY);
}

export function isStale(ageDays: number, maxAgeDays: number): boolean {
  return ageDays >= maxAgeDays;
}

/** The instant a credential measured from `since` turns stale: daysSince reaches maxAgeDays there. */
export function staleAt(since: Date, maxAgeDays: number): Date {
  return new Date(since.getTime() + maxAgeDays * MS_PER_DAY);
}

/** Whole days until the credential is stale at `t` (0 or less: already stale); the warnings' clock. */
export function daysLeft(since: Date, maxAgeDays: number, t: Date): number {
  return maxAgeDays - daysSince(since, t);
}

function assess(
  credential: CredentialAssessment['credential'],
  lastUsed: Date | null,
  created: Date,
  now: Date,
  maxAgeDays: number,
  accessKeyId?: string,
): CredentialAssessment {
  const since = lastUsed ?? created;
  const ageDays = daysSince(since, now);
  return {
    credential,
    ...(accessKeyId === undefined ? {} : { accessKeyId }),
    since,
    basis: lastUsed ? 'lastUsed' : 'created',
    ageDays,
    stale: isStale(ageDays, maxAgeDays),
  };
}

/** The credentials the runbook would act on, with their age. */
export function assessCredentials(user: UserFacts, maxAgeDays: number, now: Date): CredentialAssessment[] {
  const assessments: CredentialAssessment[] = [];
  // Without a login profile the runbook leaves the password alone, whatever PasswordLastUsed says.
  if (user.loginProfile) {
    assessments.push(
      assess('password', user.passwordLastUsed, user.loginProfile.createDate, now, maxAgeDays),
    );
  }
  // The runbook deactivates every stale key; for an inactive key that changes nothing.
  for (const key of user.accessKeys) {
    if (key.status !== 'Active') continue;
    assessments.push(assess('accessKey', key.lastUsedDate, key.createDate, now, maxAgeDays, key.accessKeyId));
  }
  return assessments;
}

export function decide(user: UserFacts, policy: Policy, now: Date): Verdict {
  const credentials = assessCredentials(user, policy.maxAgeDays, now);
  const stale = credentials.filter((c) => c.stale);
  const exclusion = policy.exclusions.match(user);
  const base = { userName: user.userName, userId: user.userId, credentials };
  if (exclusion) {
    return {
      ...base,
      compliance: 'COMPLIANT',
      excluded: true,
      exclusion,
      revoke: { password: false, accessKeyIds: [] },
      annotation: annotateExcluded(user.userName, exclusion, stale, policy.maxAgeDays),
    };
  }
  if (stale.length > 0) {
    return {
      ...base,
      compliance: 'NON_COMPLIANT',
      excluded: false,
      revoke: {
        password: stale.some((c) => c.credential === 'password'),
        accessKeyIds: stale.flatMap((c) => (c.accessKeyId === undefined ? [] : [c.accessKeyId])),
      },
      annotation: truncate(
        `${user.userName}: ${describeAll(stale)} unused, limit ${policy.maxAgeDays}d; will be revoked`,
      ),
    };
  }
  return {
    ...base,
    compliance: 'COMPLIANT',
    excluded: false,
    revoke: { password: false, accessKeyIds: [] },
    annotation: annotateCompliant(user.userName, credentials, policy.maxAgeDays),
  };
}

export function describeCredential(c: CredentialAssessment): string {
  const what = c.credential === 'password' ? 'password' : `key ${c.accessKeyId}`;
  return `${what} ${c.ageDays}d${c.basis === 'created' ? ' (never used)' : ''}`;
}

function describeAll(credentials: readonly CredentialAssessment[]): string {
  return credentials.map(describeCredential).join(', ');
}

function annotateExcluded(
  userName: string,
  exclusion: ExclusionMatch,
  stale: readonly CredentialAssessment[],
  maxAgeDays: number,
): string {
  const by = exclusion.matchedBy === 'userId' ? 'UserId' : 'name';
  const would =
    stale.length > 0 ? `; would otherwise revoke ${describeAll(stale)} (limit ${maxAgeDays}d)` : '';
  return truncate(`EXCLUDED ${userName} by ${by} entry "${exclusion.entry.raw}"${would}`);
}

function annotateCompliant(
  userName: string,
  credentials: readonly CredentialAssessment[],
  maxAgeDays: number,
): string {
  if (credentials.length === 0) return truncate(`${userName}: no console password and no active access key`);
  const oldest = credentials.reduce((a, b) => (b.ageDays > a.ageDays ? b : a));
  return truncate(
    `${userName}: no credential unused for ${maxAgeDays}d or more; oldest ${describeCredential(oldest)}`,
  );
}

/** ASCII, so the limit holds in characters and in bytes alike (user names are ASCII too). */
const TRUNCATION_MARK = '...';

function truncate(text: string): string {
  return text.length <= ANNOTATION_MAX_LENGTH
    ? text
    : `${text.slice(0, ANNOTATION_MAX_LENGTH - TRUNCATION_MARK.length)}${TRUNCATION_MARK}`;
}
