/**
 * Reads back what the evaluator writes into a Config annotation (see `decide` and
 * `describeCredential` in evaluator/decision.ts): the user name, the limit and each credential's
 * age. The tests generate annotations with the evaluator's own `decide`, so a change of format
 * there breaks them here. Anything not recognised yields undefined fields, never a guess.
 */

export interface AnnotatedCredential {
  readonly credential: 'password' | 'accessKey';
  readonly accessKeyId?: string;
  readonly ageDays: number;
  readonly neverUsed: boolean;
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
const LIMIT = /(?:limit |unused for )(\d+)d\b/;
const EXCLUDED = /^EXCLUDED (\S+) by (?:name|UserId) entry /;
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
