import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { CredentialWarning, WarningKind } from './window';

/** The warning event: what EventBridge rules, the central bus and the digest match on. */
export const WARNING_EVENT_SOURCE = 'iam-unused-cleanup';
export const WARNING_DETAIL_TYPE = 'Credential Revocation Warning';

export type WarnedCredential =
  | { readonly type: 'password' }
  | { readonly type: 'accessKey'; readonly accessKeyId: string };

export interface WarningDetail {
  readonly accountId: string;
  readonly userName: string;
  readonly userId: string;
  readonly credential: WarnedCredential;
  /** ISO instant of the last use; null when never used (measured from creation). */
  readonly lastUsed: string | null;
  /** UTC date (YYYY-MM-DD) on which the credential turns stale; the first rule run after revokes it. */
  readonly revokeOn: string;
  /** ISO instant at which it turns stale. */
  readonly staleAt: string;
  readonly daysLeft: number;
  readonly warning: WarningKind;
  /** The configured owner tags the user carries (absent keys are left out). */
  readonly ownerTags: Readonly<Record<string, string>>;
  /** Set when the user's tags could not be read: the warning still goes out, unrouted by owner. */
  readonly ownerTagsUnavailable?: true;
}

export function warningDetail(
  warning: CredentialWarning,
  accountId: string,
  ownerTags: Readonly<Record<string, string>> | undefined,
): WarningDetail {
  return {
    accountId,
    userName: warning.userName,
    userId: warning.userId,
    credential:
      warning.accessKeyId === undefined
        ? { type: 'password' }
        : { type: 'accessKey', accessKeyId: warning.accessKeyId },
    lastUsed: warning.lastUsed?.toISOString() ?? null,
    revokeOn: warning.staleAt.toISOString().slice(0, 10),
    staleAt: warning.staleAt.toISOString(),
    daysLeft: warning.daysLeft,
    warning: warning.kind,
    ownerTags: ownerTags ?? {},
    ...(ownerTags === undefined ? { ownerTagsUnavailable: true as const } : {}),
  };
}

/** One PutEvents entry on the account's default bus (no EventBusName: the default). */
export function warningEntry(detail: WarningDetail, now: Date): PutEventsRequestEntry {
  return {
    Source: WARNING_EVENT_SOURCE,
    DetailType: WARNING_DETAIL_TYPE,
    Detail: JSON.stringify(detail),
    Time: now,
  };
}

/** One credential across accounts: `<account>/<UserId>/<key id or "password">`. */
export function credentialKey(detail: Pick<WarningDetail, 'accountId' | 'userId' | 'credential'>): string {
  const which = detail.credential.type === 'password' ? 'password' : detail.credential.accessKeyId;
  return `${detail.accountId}/${detail.userId}/${which}`;
}
