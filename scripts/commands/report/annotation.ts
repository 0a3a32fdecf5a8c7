/**
 * Reads back what the evaluator writes into a Config annotation (see `decide` and
 * `describeCredential` in evaluator/decision.ts): the user name, the limit and each credential's
 * age. Dated annotations (`password last used 2025-01-02`, ending in a state token such as
 * `[v1 N pw AKIA...]`) are read too: the date stands in for the age and the token names exactly
 * what is revoked. The tests generate annotations with the evaluator's own code, so a change of
 * format there breaks them here. Anything not recognised yields undefined fields, never a guess.
 */

export interface AnnotatedCredential {
  readonly credential: 'password' | 'accessKey';
  readonly accessKeyId?: string;
  /** Whole days unused when recorded (age form); absent in the dated form. */
  readonly ageDays?: number;
  /** YYYY-MM-DD of the last use, or of the creation when never used (dated form). */
  readonly sinceDay?: string;
  readonly neverUsed: boolean;
}

export interface AnnotatedExclusion {
  readonly entry: string;
  readonly matchedBy: 'name' | 'userId';
}

export interface ParsedAnnotation {
  readonly userName?: string;
  readonly excluded: boolean;
  /** MaxCredentialUsageAge the verdict was made with. */
  readonly limitDays?: number;
  /** Credentials the annotation mentions: the stale ones, or the oldest for a compliant user. */
  readonly credentials: readonly AnnotatedCredential[];
  /** The entry that excluded the user, when the annotation names it. */
  readonly exclusion?: AnnotatedExclusion;
  /** What is revoked, from the state token of a dated annotation (complete even when truncated). */
  readonly revoke?: { readonly password: boolean; readonly accessKeys: readonly string[] };
}

/** The `<what> <N>d[ (never used)]` phrase of describeCredential. */
const CREDENTIAL = /(?:^|[ ,;:])(password|key ([A-Z0-9]+)) (\d+)d( \(never used\))?/g;
/** The dated phrase of describeCredentialByDate: `<what> last used|created YYYY-MM-DD[ (never used)]`. */
const DATED =
  /(?:^|[ ,;:])(password|key ([A-Z0-9]+)) (?:last used|created) (\d{4}-\d{2}-\d{2})( \(never used\))?/g;
const LIMIT = /(?:limit |unused for )(\d+)d\b/;
const EXCLUDED = /^EXCLUDED (\S+) by (name|UserId) entry (?:"([^"]*)")?/;
const STATE_TOKEN = /\[v1 ([CXN])((?: [A-Za-z0-9]+)*)\]$/;
const NAMED = /^([\w+=,.@-]{1,64}): /;

export function parseAnnotation(annotation: string | undefined): ParsedAnnotation {
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
    credentials.push({
      credential: what === 'password' ? 'password' : 'accessKey',
      ...(keyId === undefined ? {} : { accessKeyId: keyId }),
      sinceDay: day as string,
      neverUsed: never !== undefined,
    });
  }
  const revoke = revokeOfStateToken(annotation);
  return {
    ...(userName === undefined ? {} : { userName }),
    excluded: excluded !== null,
    ...(limit === undefined ? {} : { limitDays: Number(limit) }),
    credentials,
    ...(excluded?.[3] !== undefined
      ? {
          exclusion: {
            entry: excluded[3] as string,
            matchedBy: excluded[2] === 'UserId' ? 'userId' : 'name',
          },
        }
      : {}),
    ...(revoke ? { revoke } : {}),
  };
}

/** `[v1 N pw AKIA...]`: pw is the password, every other word a key id to deactivate. */
function revokeOfStateToken(annotation: string): ParsedAnnotation['revoke'] {
  const token = STATE_TOKEN.exec(annotation);
  if (!token) return undefined;
  const words = (token[2] ?? '').split(' ').filter((w) => w !== '');
  return { password: words.includes('pw'), accessKeys: words.filter((w) => w !== 'pw') };
}

/** The oldest credential an annotation names, if any (by age, or by date in the dated form). */
export function oldestCredential(parsed: ParsedAnnotation): AnnotatedCredential | undefined {
  return parsed.credentials.reduce<AnnotatedCredential | undefined>(
    (oldest, c) => (oldest === undefined || olderThan(c, oldest) ? c : oldest),
    undefined,
  );
}

function olderThan(a: AnnotatedCredential, b: AnnotatedCredential): boolean {
  if (a.ageDays !== undefined && b.ageDays !== undefined) return a.ageDays > b.ageDays;
  return a.sinceDay !== undefined && b.sinceDay !== undefined && a.sinceDay < b.sinceDay;
}
