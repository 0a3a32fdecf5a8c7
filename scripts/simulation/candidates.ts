import { daysSince } from '../../evaluator/decision';
import type { SyntheticAccount } from './accounts';

/**
 * Credentials the report cannot prove fresh, counted from the model (which, unlike the report,
 * knows key ids): for each live user, its password and keys that the report shows stale or never
 * used, or does not know at all (created since, or the user re-created). Inactive keys count
 * too: one reactivated since the report would be stale. This is the "candidates".
 */
export function countCandidates(account: SyntheticAccount, maxAgeDays: number): number {
  const stale = (t: Date | null) => t === null || daysSince(t, account.now) >= maxAgeDays;
  let candidates = 0;
  for (const user of account.live.users) {
    const then = account.atReport.user(user.name);
    const known = then !== undefined && then.id === user.id;
    if (user.loginProfile) {
      if (!known || !then.loginProfile || stale(then.passwordLastUsed)) candidates++;
    }
    for (const key of user.keys) {
      const keyThen = known ? then.keys.find((k) => k.id === key.id) : undefined;
      if (!keyThen || stale(keyThen.lastUsed ?? keyThen.createDate)) candidates++;
    }
  }
  return candidates;
}
