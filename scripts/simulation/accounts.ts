import { MS_PER_DAY } from '../../evaluator/decision';
import { Builder, consoleUser, serviceUser, staleUser } from './generators';
import { IamAccount, type ModelUser } from './model';
import { Prng } from './prng';

/**
 * Synthetic accounts for the benchmark. An account is built as it stood when the credential
 * report was generated (`reportGeneratedTime`), the report is rendered from that snapshot, and
 * then the account moves on until `now`: credentials used, keys created, rotated, deactivated
 * and reactivated, login profiles deleted and created, users deleted and created.
 */

export type Mix = 'steady' | 'backlog';
export const MIXES: readonly Mix[] = ['steady', 'backlog'];

interface MixShape {
  /** Users with a stale or never-used credential. */
  readonly stale: number;
  /** Of the others: service users (keys only); the rest are console users. */
  readonly service: number;
  /** Users also holding an old inactive key (deactivated by an earlier remediation). */
  readonly oldInactiveKey: number;
}

/** steady: what a run sees once remediation caught up; backlog: a first run. */
export const MIX_SHAPES: Readonly<Record<Mix, MixShape>> = {
  steady: { stale: 0.02, service: 0.7 / 0.98, oldInactiveKey: 0.003 },
  backlog: { stale: 0.1, service: 0.7 / 0.98, oldInactiveKey: 0.03 },
};

export interface ChangeRates {
  readonly used: number;
  readonly keyCreated: number;
  readonly keyRotated: number;
  readonly keyDeactivated: number;
  readonly keyReactivated: number;
  readonly loginProfileDeleted: number;
  readonly loginProfileCreated: number;
  readonly userDeleted: number;
  readonly userCreated: number;
}

/** Shares of N changed between the report and the run (at least one of each). */
export const DEFAULT_CHANGE_RATES: ChangeRates = {
  used: 0.01,
  keyCreated: 0.002,
  keyRotated: 0.002,
  keyDeactivated: 0.001,
  keyReactivated: 0.001,
  loginProfileDeleted: 0.001,
  loginProfileCreated: 0.001,
  userDeleted: 0.001,
  userCreated: 0.001,
};

/** Share of users created in the same second as another user (bulk creation by a script). */
export const SAME_SECOND_SHARE = 0.04;
/** The longest run of users created in one second; half of the grouped users come in pairs. */
export const MAX_SAME_SECOND_RUN = 20;

export interface AccountSpec {
  readonly users: number;
  readonly mix: Mix;
  readonly seed: number;
  readonly now: Date;
  readonly maxAgeDays: number;
  /** @default 3 */
  readonly reportAgeHours?: number;
  /** @default DEFAULT_CHANGE_RATES */
  readonly changes?: ChangeRates;
  /** @default SAME_SECOND_SHARE */
  readonly sameSecondShare?: number;
}

export interface SyntheticAccount {
  readonly live: IamAccount;
  /** The account as the report saw it. */
  readonly atReport: IamAccount;
  readonly reportGeneratedTime: Date;
  readonly now: Date;
  /** Raw exclusion parameter value. */
  readonly exclusions: string;
  readonly changes: Readonly<Record<keyof ChangeRates, number>>;
}

function pickUsers(
  b: Builder,
  account: IamAccount,
  count: number,
  filter: (u: ModelUser) => boolean,
): ModelUser[] {
  const candidates = account.users.filter(filter);
  const chosen = new Set<ModelUser>();
  for (let tries = 0; chosen.size < Math.min(count, candidates.length) && tries < count * 20; tries++) {
    chosen.add(b.rng.pick(candidates));
  }
  return [...chosen];
}

/**
 * Where the same-second groups start (index -> size): `share` of `users` in groups, half of them
 * in pairs and half in runs of 3 to MAX_SAME_SECOND_RUN, spread evenly over the account.
 */
export function sameSecondGroups(rng: Prng, users: number, share: number): Map<number, number> {
  const sizes: number[] = [];
  const target = Math.round(share * users);
  let inPairs = 0;
  let total = 0;
  while (target - total >= 2) {
    const size = inPairs * 2 < target / 2 ? 2 : Math.min(rng.int(3, MAX_SAME_SECOND_RUN), target - total);
    if (size === 2) inPairs += 1;
    sizes.push(size);
    total += size;
  }
  const starts = new Map<number, number>();
  const stride = Math.floor(users / Math.max(1, sizes.length));
  sizes.forEach((size, i) => {
    starts.set(i * stride, size);
  });
  return starts;
}

export function buildAccount(spec: AccountSpec): SyntheticAccount {
  const rng = new Prng(spec.seed);
  const reportAgeMs = (spec.reportAgeHours ?? 3) * 60 * 60 * 1000;
  const reportGeneratedTime = new Date(spec.now.getTime() - reportAgeMs);
  const b = new Builder(rng, reportGeneratedTime, spec.maxAgeDays);
  const shape = MIX_SHAPES[spec.mix];

  const account = new IamAccount();
  const bulkStarts = sameSecondGroups(rng, spec.users, spec.sameSecondShare ?? SAME_SECOND_SHARE);
  const pickKind = () =>
    rng.chance(shape.stale) ? staleUser : rng.chance(shape.service) ? serviceUser : consoleUser;
  let bulkLeft = 0;
  let bulkKind = pickKind();
  let bulkRemediated = false;
  for (let i = 0; i < spec.users; i++) {
    const groupSize = bulkStarts.get(i);
    if (groupSize !== undefined) {
      bulkLeft = groupSize;
      // Old enough that every credential any generator gives its users is created after it.
      const at = b.ago(spec.maxAgeDays + 600, 2500);
      b.bulkSecond = new Date(Math.floor(at.getTime() / 1000) * 1000);
      // One script run creates one kind of user (service, console, or a batch later abandoned),
      // and its users share their history: an earlier remediation left all or none of them an
      // old inactive key.
      bulkKind = pickKind();
      bulkRemediated = rng.chance(shape.oldInactiveKey);
    }
    if (bulkLeft === 0) b.bulkSecond = undefined;
    else bulkLeft -= 1;
    const user = (b.bulkSecond ? bulkKind : pickKind())(b);
    const remediated = b.bulkSecond ? bulkRemediated : rng.chance(shape.oldInactiveKey);
    if (user.keys.length < 2 && remediated) {
      b.key(user, { createDate: b.keyCreateDate(user), status: 'Inactive' }).lastUsed = b.ago(
        ...b.staleDays(),
      );
    }
    account.add(user);
  }
  const atReport = account.clone();

  // The account moves on between the report and the run.
  const rates = spec.changes ?? DEFAULT_CHANGE_RATES;
  const count = (rate: number) => Math.max(1, Math.round(rate * spec.users));
  const since = () => b.between(reportGeneratedTime, spec.now);
  const changes = {
    used: 0,
    keyCreated: 0,
    keyRotated: 0,
    keyDeactivated: 0,
    keyReactivated: 0,
    loginProfileDeleted: 0,
    loginProfileCreated: 0,
    userDeleted: 0,
    userCreated: 0,
  };
  const isStale = (d: Date | null) =>
    d === null || spec.now.getTime() - d.getTime() >= spec.maxAgeDays * MS_PER_DAY;
  const staleUserFilter = (u: ModelUser) =>
    (u.loginProfile !== null && isStale(u.passwordLastUsed)) ||
    u.keys.some((k) => k.status === 'Active' && isStale(k.lastUsed));

  // Half of the uses revive stale credentials, so report-stale but live-fresh is exercised.
  for (const user of [
    ...pickUsers(b, account, Math.ceil(count(rates.used) / 2), staleUserFilter),
    ...pickUsers(b, account, Math.floor(count(rates.used) / 2), () => true),
  ]) {
    const key = user.keys.find((k) => k.status === 'Active');
    if (key && (user.loginProfile === null || rng.chance(0.5)))
      key.lastUsed = b.between(reportGeneratedTime, spec.now);
    else if (user.loginProfile) user.passwordLastUsed = since();
    else continue;
    changes.used++;
  }
  for (const user of pickUsers(b, account, count(rates.keyCreated), (u) => u.keys.length < 2)) {
    const key = b.key(user, { createDate: since() });
    if (rng.chance(0.5)) key.lastUsed = b.between(key.createDate, spec.now);
    changes.keyCreated++;
  }
  for (const user of pickUsers(b, account, count(rates.keyRotated), (u) => u.keys.length > 0)) {
    user.keys.shift();
    b.key(user, { createDate: since() });
    changes.keyRotated++;
  }
  for (const user of pickUsers(b, account, count(rates.keyDeactivated), (u) =>
    u.keys.some((k) => k.status === 'Active'),
  )) {
    const key = user.keys.find((k) => k.status === 'Active');
    if (key) key.status = 'Inactive';
    changes.keyDeactivated++;
  }
  // Reactivating an old inactive key makes its user non-compliant though the report says inactive.
  for (const user of pickUsers(b, account, count(rates.keyReactivated), (u) =>
    u.keys.some((k) => k.status === 'Inactive'),
  )) {
    const key = user.keys.find((k) => k.status === 'Inactive');
    if (key) key.status = 'Active';
    changes.keyReactivated++;
  }
  // Remediation since the report deletes stale login profiles.
  for (const user of pickUsers(
    b,
    account,
    count(rates.loginProfileDeleted),
    (u) => u.loginProfile !== null && isStale(u.passwordLastUsed),
  )) {
    user.loginProfile = null;
    user.passwordLastChanged = null;
    changes.loginProfileDeleted++;
  }
  // A login profile created since: measured from an older PasswordLastUsed when there is one.
  for (const user of pickUsers(
    b,
    account,
    count(rates.loginProfileCreated),
    (u) => u.loginProfile === null,
  )) {
    user.loginProfile = { createDate: since() };
    user.passwordLastChanged = user.loginProfile.createDate;
    if (rng.chance(0.5)) user.passwordLastUsed = b.ago(b.maxAgeDays + 5, b.maxAgeDays + 300);
    changes.loginProfileCreated++;
  }
  const deleted = pickUsers(b, account, count(rates.userDeleted), () => true);
  for (const user of deleted) {
    account.remove(user.name);
    changes.userDeleted++;
  }
  for (let i = 0; i < count(rates.userCreated); i++) {
    // The first re-uses a deleted user's name: a new user object the report must not be matched to.
    const reuse = i === 0 ? deleted[0]?.name : undefined;
    const user = b.user('new', since(), reuse);
    const afterUser = () => b.between(user.createDate, spec.now);
    if (rng.chance(0.5)) {
      user.loginProfile = { createDate: afterUser() };
      user.passwordLastChanged = user.loginProfile.createDate;
    }
    if (rng.chance(0.7)) b.key(user, { createDate: afterUser() });
    account.add(user);
    changes.userCreated++;
  }

  const firstStale = account.users.find(staleUserFilter);
  const exclusions = [firstStale?.name.toUpperCase(), account.users[1]?.id, 'someone-who-left']
    .filter((e): e is string => e !== undefined)
    .join(',\n');
  return { live: account, atReport, reportGeneratedTime, now: spec.now, exclusions, changes };
}
