import { renderCsv } from '../lib/terminal/csv';
import type { CredentialVerdict, UserVerdict } from './user-verdict';

/**
 * The shared user shape as CSV: one column per JSON field, in the JSON's order. Nested fields are
 * flattened: `revoke.accessKeys` and the access keys' facts as `KEYID=value` pairs joined by `;`
 * (a user has at most two keys), the password's facts in their own columns.
 */

export const USER_CSV_COLUMNS = [
  'account_id',
  'account_name',
  'region',
  'user_name',
  'user_id',
  'compliance',
  'excluded',
  'excluded_by',
  'revoke_password',
  'revoke_access_keys',
  'password_days_unused',
  'password_never_used',
  'password_revoke_on',
  'access_keys_days_unused',
  'access_keys_never_used',
  'access_keys_revoke_on',
  'revoke_on',
  'annotation',
  'recorded_at',
] as const;

const text = (v: string | number | boolean | null | undefined): string =>
  v === null || v === undefined ? '' : String(v);

function keyPairs(keys: readonly CredentialVerdict[], pick: (c: CredentialVerdict) => unknown): string {
  return keys.map((k) => `${k.accessKeyId ?? ''}=${text(pick(k) as string | null)}`).join(';');
}

export function userCsvCells(u: UserVerdict): string[] {
  const password = u.credentials.find((c) => c.credential === 'password');
  const keys = u.credentials.filter((c) => c.credential === 'accessKey');
  return [
    text(u.accountId),
    u.accountName,
    text(u.region),
    u.userName,
    u.userId,
    u.compliance,
    String(u.excluded),
    u.excludedBy ? u.excludedBy.entry : '',
    String(u.revoke.password),
    u.revoke.accessKeys.join(';'),
    text(password?.daysUnused),
    password ? String(password.neverUsed) : '',
    text(password?.revokeOn),
    keyPairs(keys, (k) => k.daysUnused),
    keyPairs(keys, (k) => k.neverUsed),
    keyPairs(keys, (k) => k.revokeOn),
    text(u.revokeOn),
    u.annotation,
    text(u.recordedAt),
  ];
}

export function renderUsersCsv(users: readonly UserVerdict[]): string {
  return renderCsv(USER_CSV_COLUMNS, users.map(userCsvCells));
}
