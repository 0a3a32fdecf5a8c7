import { Prng } from '../prng';
import type { SimAccount } from './organization';

/**
 * Seeded accounts for the organization simulation. Shares per account: 3 % never get a recorder,
 * 3 % get one 1-30 h after joining (some inside Config's 7-hour retry, some after), 2 % record no
 * IAM users, 1 % of the first accounts are in excludedAccountIds, 1 % have a StackSet instance
 * that fails until an operator fixes it 6-30 h later. New accounts join between hour 3 and 48.
 */

export const DEPLOY_AT = 120; // the StackSet operation of the first deploy takes up to two hours
export const MINUTES_PER_HOUR = 60;

export interface ScenarioOptions {
  readonly initialAccounts: number;
  readonly joiningAccounts: number;
  readonly seed: number;
  /** Everything healthy: every account has a recorder that records IAM users, none excluded. */
  readonly healthy: boolean;
}

export function accountId(n: number): string {
  return String(100_000_000_000 + n).padStart(12, '0');
}

export function buildAccounts(options: ScenarioOptions): Map<string, SimAccount> {
  const rng = new Prng(options.seed);
  const out = new Map<string, SimAccount>();
  const total = options.initialAccounts + options.joiningAccounts;
  for (let n = 0; n < total; n += 1) {
    const initial = n < options.initialAccounts;
    const joinAt = initial ? 0 : rng.int(3 * MINUTES_PER_HOUR, 48 * MINUTES_PER_HOUR);
    const roll = options.healthy ? 1 : rng.next();
    const recorderAt =
      roll < 0.03 ? undefined : roll < 0.06 ? joinAt + rng.int(60, 30 * MINUTES_PER_HOUR) : joinAt;
    const hooked = !options.healthy && initial && rng.chance(0.01);
    const instanceCurrentAt = initial
      ? hooked
        ? rng.int(6 * MINUTES_PER_HOUR, 30 * MINUTES_PER_HOUR)
        : rng.int(10, DEPLOY_AT)
      : joinAt + rng.int(10, 180);
    out.set(accountId(n), {
      id: accountId(n),
      joinAt,
      excluded: !options.healthy && initial && rng.chance(0.01),
      recorderAt,
      recordsIam: options.healthy || !rng.chance(0.02),
      instanceCurrentAt,
      packAutoDeployDelay: rng.int(5, 120),
      deployMinutes: rng.int(5, 40),
    });
  }
  return out;
}
