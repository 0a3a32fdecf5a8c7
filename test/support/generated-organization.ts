import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Generated input for org-wide previews: one IAM credential report per account (named by its
 * account id, as `preview --credential-reports DIR` reads them) and an exclusions.yaml.
 * Deterministic (a fixed-seed generator), so figures can be asserted.
 */

const DAY = 86_400_000;

export const REPORT_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
  'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
  'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

export interface ReportUser {
  readonly name: string;
  /** Days since the password was last used; null: never used; undefined: no password. */
  readonly passwordUnused?: number | null;
  /** Days since the key was last used; null: never used; undefined: no key. */
  readonly keyUnused?: number | null;
}

/** The credential report CSV of one account, as `aws iam get-credential-report` returns it (decoded). */
export function credentialReportCsv(accountId: string, users: readonly ReportUser[], now: Date): string {
  const ago = (days: number) => new Date(now.getTime() - days * DAY - 60_000).toISOString();
  const rows = users.map((u) => {
    const password =
      u.passwordUnused === undefined
        ? 'false,N/A,N/A'
        : `true,${u.passwordUnused === null ? 'no_information' : ago(u.passwordUnused)},${ago(Math.max(400, (u.passwordUnused ?? 0) + 1))}`;
    const key =
      u.keyUnused === undefined
        ? 'false,N/A,N/A,N/A,N/A'
        : `true,${ago(Math.max(400, (u.keyUnused ?? 0) + 1))},${u.keyUnused === null ? 'N/A' : ago(u.keyUnused)},${u.keyUnused === null ? 'N/A' : 'us-east-1'},${u.keyUnused === null ? 'N/A' : 's3'}`;
    return `${u.name},arn:aws:iam::${accountId}:user/${u.name},2024-01-01T00:00:00+00:00,${password},N/A,false,${key},false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
  });
  return `${[REPORT_HEADER, ...rows].join('\r\n')}\r\n`;
}

/** Park–Miller: small, seeded, good enough to spread test data. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

export interface GeneratedOrganization {
  readonly dir: string;
  readonly exclusionsFile: string;
  readonly accountIds: readonly string[];
  /** The account given the most stale users: the one the page must show first. */
  readonly worstAccount: string;
}

/**
 * `accounts` accounts of `usersPerAccount` users each (account ids 100000000001, ...): a mix of
 * fresh, soon-stale and stale passwords and keys; one account gets stale users only; every
 * account excludes `breakglass` (which each has), and one entry matches nobody.
 */
export function generateOrganization(
  root: string,
  accounts: number,
  usersPerAccount: number,
  now: Date,
): GeneratedOrganization {
  const random = generator(20250827);
  const dir = join(root, 'credential-reports');
  mkdirSync(dir, { recursive: true });
  const accountIds = Array.from({ length: accounts }, (_, i) => String(100000000001 + i));
  const worstAccount = accountIds[Math.floor(accounts / 3)] as string;
  const unused = () => (random() < 0.1 ? null : Math.floor(random() * 140));
  for (const accountId of accountIds) {
    const users: ReportUser[] = [{ name: 'breakglass', passwordUnused: null }];
    for (let j = 1; j < usersPerAccount; j++) {
      const name = `user-${String(j).padStart(3, '0')}`;
      if (accountId === worstAccount) users.push({ name, passwordUnused: 200 + j, keyUnused: 150 + j });
      else
        users.push({
          name,
          ...(random() < 0.6 ? { passwordUnused: unused() } : {}),
          ...(random() < 0.5 ? { keyUnused: unused() } : {}),
        });
    }
    writeFileSync(join(dir, `${accountId}.csv`), credentialReportCsv(accountId, users, now));
  }
  const exclusionsFile = join(root, 'exclusions.yaml');
  writeFileSync(
    exclusionsFile,
    `defaults: [breakglass]\naccounts:\n  "${accountIds[0]}": [left-the-company]\n`,
  );
  return { dir, exclusionsFile, accountIds, worstAccount };
}
