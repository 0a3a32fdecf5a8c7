/**
 * The one user shape every machine-readable output shares (preview, report; JSON and CSV), so a
 * script reads `revoke`, `daysUnused` and `revokeOn` the same way whichever command wrote them.
 * schemas/user.schema.json describes it; bump SCHEMA_VERSION on any incompatible change.
 */

export const SCHEMA_VERSION = 1;

export interface ExcludedBy {
  /** The exclusion entry as written in the list. */
  readonly entry: string;
  readonly matchedBy: 'name' | 'userId';
}

export interface CredentialVerdict {
  readonly credential: 'password' | 'accessKey';
  /** The access key id; null for the password. */
  readonly accessKeyId: string | null;
  /** Whole days since last use (or since creation when never used); null when not known. */
  readonly daysUnused: number | null;
  readonly neverUsed: boolean;
  readonly stale: boolean;
  /** YYYY-MM-DD (UTC): the day the credential is (or was) first stale; null when not known. */
  readonly revokeOn: string | null;
}

export interface UserVerdict {
  readonly accountId: string | null;
  readonly accountName: string;
  readonly region: string | null;
  readonly userName: string;
  readonly userId: string;
  /** COMPLIANT or NON_COMPLIANT; from Config also NOT_APPLICABLE, INSUFFICIENT_DATA or UNKNOWN. */
  readonly compliance: string;
  readonly excluded: boolean;
  readonly excludedBy: ExcludedBy | null;
  /** What the runbook revokes at its next run: empty for compliant and excluded users. */
  readonly revoke: { readonly password: boolean; readonly accessKeys: readonly string[] };
  readonly credentials: readonly CredentialVerdict[];
  /** The earliest revokeOn of a credential that is not excluded; null when none is known. */
  readonly revokeOn: string | null;
  readonly annotation: string;
  /** When Config recorded the verdict (report); null for a preview. */
  readonly recordedAt: string | null;
}

/** The UTC day of an instant, YYYY-MM-DD. */
export function utcDay(t: Date): string {
  return t.toISOString().slice(0, 10);
}

/** The earliest revokeOn among credentials, or null: excluded users are never revoked. */
export function earliestRevokeOn(
  excluded: boolean,
  credentials: readonly CredentialVerdict[],
): string | null {
  if (excluded) return null;
  const days = credentials.flatMap((c) => (c.revokeOn === null ? [] : [c.revokeOn])).sort();
  return days[0] ?? null;
}
