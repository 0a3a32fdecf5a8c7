/**
 * Reads back what the evaluator writes into a Config annotation: the user name, the limit and each
 * credential's age. Two forms: the dated one the evaluator records now
 * (evaluator/recorded-annotation.ts: "password last used 2025-01-02"), and the older one with ages
 * (`decide` in evaluator/decision.ts: "password 48d"), still held for users not re-put since. The
 * tests generate annotations with the evaluator's own code, so a change of format there breaks them
 * here. Anything not recognised yields undefined fields, never a guess.
 */

export interface AnnotatedCredential {
  readonly credential: 'password' | 'accessKey';
  readonly accessKeyId?: string;
  /** Whole days unused: as written (older form), or from `since` to the `asOf` time (dated form). */
  readonly ageDays: number;
  readonly neverUsed: boolean;
  /** The UTC day of the last use, or of the creation when never used (dated form only). */
  readonly since?: Date;
}

export interface ParsedAnnotation {
  readonly userName?: string;
  readonly excluded: boolean;
  /** MaxCredentialUsageAge the verdict was made with. */
  readonly limitDays?: number;
  /** Credentials the annotation mentions: the stale ones, or the oldest for a compliant user. */
  readonly credentials: readonly AnnotatedCredential[];
}

/** The `<what> <N>d[ (never used)]` phrase of describeCredential. */
const CREDENTIAL = /(?:^|[ ,;:])(password|key ([A-Z0-9]+)) (\d+)d( \(never used\))?/g;
const DATED =
  /(?:^|[ ,;:])(password|key ([A-Z0-9]+)) (?:last used|created) (\d{4}-\d{2}-\d{2})( \(never used\))?/g;
const MS_PER_DAY = 86_400_000;
const LIMIT = /(?:limit |unused for )(\d+)d\b/;
const EXCLUDED = /^EXCLUDED (\S+) by (?:name|UserId) entry /;
const NAMED = /^([\w+=,.@-]{1,64}): /;

/** `asOf` (default: now) is the time the ages of dated credentials are counted to. */
export function parseAnnotation(annotation: string | undefined, asOf: Date = new Date()): ParsedAnnotation {
  if (!annotation) return { excluded: false, credentials: [] };
  const excluded = EXCLUDED.exec(annotation);
  const named = excluded ? undefined : NAMED.exec(annotation);
  const userName = excluded?.[1] ?? named?.[1];
  const limit = LIMIT.exec(annotation)?.[1];
  const credentials: AnnotatedCredential[] = [];
  for (const m of annotation.matchAll(CREDENTIAL)) {
    const [, what, keyId, days, never] = m;
    credentials.push({
      credential: what === 'password' ? 'password' : 'accessKey',
      ...(keyId === undefined ? {} : { accessKeyId: keyId }),
      ageDays: Number(days),
      neverUsed: never !== undefined,
    });
  }
  for (const m of annotation.matchAll(DATED)) {
    const [, what, keyId, day, never] = m;
    const since = new Date(`${day}T00:00:00Z`);
    if (Number.isNaN(since.getTime())) continue;
    credentials.push({
      credential: what === 'password' ? 'password' : 'accessKey',
      ...(keyId === undefined ? {} : { accessKeyId: keyId }),
      // From the start of that day: never younger than the credential really is.
      ageDays: Math.max(0, Math.floor((asOf.getTime() - since.getTime()) / MS_PER_DAY)),
      neverUsed: never !== undefined,
      since,
    });
  }
  return {
    ...(userName === undefined ? {} : { userName }),
    excluded: excluded !== null,
    ...(limit === undefined ? {} : { limitDays: Number(limit) }),
    credentials,
  };
}

/** The oldest credential an annotation names, if any. */
export function oldestCredential(parsed: ParsedAnnotation): AnnotatedCredential | undefined {
  return parsed.credentials.reduce<AnnotatedCredential | undefined>(
    (oldest, c) => (oldest === undefined || c.ageDays > oldest.ageDays ? c : oldest),
    undefined,
  );
}
