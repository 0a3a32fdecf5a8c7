import { MS_PER_DAY } from '../../evaluator/decision';
import { IamAccount, type ModelKey, type ModelUser } from './model';
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

class Builder {
  private keySeq = 0;
  private userSeq = 0;
  /** While set, users are created in this second (at a random millisecond): a bulk group. */
  bulkSecond: Date | undefined;

  constructor(
    readonly rng: Prng,
    /** The instant the account is built at. */
    readonly at: Date,
    readonly maxAgeDays: number,
  ) {}

  /** A random instant `days` (fractional allowed) before `at`, jittered by up to a day. */
  ago(minDays: number, maxDays: number, base: Date = this.at): Date {
    const days = minDays + this.rng.next() * (maxDays - minDays);
    return new Date(base.getTime() - Math.round(days * MS_PER_DAY));
  }

  between(from: Date, to: Date): Date {
    return new Date(from.getTime() + Math.round(this.rng.next() * (to.getTime() - from.getTime())));
  }

  /** Days just around the limit now and then, so boundaries are exercised. */
  staleDays(): [number, number] {
    if (this.rng.chance(0.15)) return [this.maxAgeDays, this.maxAgeDays + 1];
    return [this.maxAgeDays + 1, this.maxAgeDays + 500];
  }

  freshDays(maxDays: number): [number, number] {
    if (this.rng.chance(0.05)) return [this.maxAgeDays - 2, this.maxAgeDays - 1];
    return [0, maxDays];
  }

  key(user: ModelUser, fields: Partial<ModelKey> & { createDate: Date }): ModelKey {
    this.keySeq += 1;
    const key: ModelKey = {
      id: `AKIA${String(this.keySeq).padStart(16, '0')}`,
      status: 'Active',
      lastUsed: null,
      ...fields,
    };
    user.keys.push(key);
    return key;
  }

  user(prefix: string, createDate: Date, name?: string): ModelUser {
    this.userSeq += 1;
    return {
      name: name ?? `${prefix}-${String(this.userSeq).padStart(5, '0')}`,
      id: `AIDA${String(this.userSeq).padStart(17, '0')}`,
      createDate: this.bulkSecond ? new Date(this.bulkSecond.getTime() + this.rng.int(0, 999)) : createDate,
      passwordLastUsed: null,
      loginProfile: null,
      passwordLastChanged: null,
      keys: [],
    };
  }

  oldUserCreateDate(): Date {
    // A few young users (created within the limit) next to the long-lived majority.
    return this.rng.chance(0.05) ? this.ago(1, this.maxAgeDays - 1) : this.ago(this.maxAgeDays + 10, 2500);
  }

  /** A key created some time after the user, before `at`. */
  keyCreateDate(user: ModelUser, minDaysAgo = 0): Date {
    const latest = new Date(this.at.getTime() - minDaysAgo * MS_PER_DAY);
    const earliest = user.createDate;
    return latest > earliest ? this.between(earliest, latest) : new Date(earliest.getTime() + 1000);
  }

  loginProfile(user: ModelUser, minDaysAgo = 0): void {
    const created = this.keyCreateDate(user, minDaysAgo);
    user.loginProfile = { createDate: created };
    user.passwordLastChanged = this.rng.chance(0.3) ? this.between(created, this.at) : created;
  }

  /** A recently used credential date, never before `notBefore`. */
  recentUse(notBefore: Date, maxDays: number): Date {
    const [min, max] = this.freshDays(maxDays);
    const t = this.ago(min, max);
    return t < notBefore ? this.between(notBefore, this.at) : t;
  }
}

function serviceUser(b: Builder): ModelUser {
  const user = b.user('svc', b.oldUserCreateDate());
  const k1 = b.key(user, { createDate: b.keyCreateDate(user) });
  k1.lastUsed = b.recentUse(k1.createDate, 6);
  if (b.rng.chance(0.15)) {
    const k2 = b.key(user, { createDate: b.keyCreateDate(user) });
    if (b.rng.chance(0.5)) {
      k2.lastUsed = b.recentUse(k2.createDate, 6);
    } else {
      // Rotated out recently: inactive, last used within the limit.
      k2.status = 'Inactive';
      k2.lastUsed = b.recentUse(k2.createDate, 60);
    }
  }
  return user;
}

function consoleUser(b: Builder): ModelUser {
  const user = b.user('console', b.oldUserCreateDate());
  b.loginProfile(user);
  const created = user.loginProfile?.createDate ?? user.createDate;
  user.passwordLastUsed =
    b.rng.chance(0.03) && created > b.ago(b.maxAgeDays - 1, b.maxAgeDays - 1)
      ? null
      : b.recentUse(created, 30);
  if (b.rng.chance(0.2)) {
    const key = b.key(user, { createDate: b.keyCreateDate(user) });
    key.lastUsed = b.recentUse(key.createDate, 20);
  }
  return user;
}

function staleUser(b: Builder): ModelUser {
  const kind = b.rng.next();
  const old = () => b.ago(...b.staleDays());
  const oldCreate = () => b.ago(b.maxAgeDays + 500, 2500);
  if (kind < 0.35) {
    const user = b.user('svc', oldCreate());
    const key = b.key(user, { createDate: b.keyCreateDate(user, b.maxAgeDays + 400) });
    key.lastUsed = b.rng.chance(0.9) ? old() : null;
    if (b.rng.chance(0.25)) {
      const second = b.key(user, { createDate: b.keyCreateDate(user, b.maxAgeDays + 400) });
      second.lastUsed = b.rng.chance(0.5) ? old() : b.recentUse(second.createDate, 6);
    }
    return user;
  }
  if (kind < 0.45) {
    const user = b.user('svc', oldCreate());
    b.key(user, { createDate: old() });
    return user;
  }
  if (kind < 0.7) {
    const user = b.user('console', oldCreate());
    b.loginProfile(user, b.maxAgeDays + 400);
    user.passwordLastUsed = old();
    return user;
  }
  if (kind < 0.8) {
    const user = b.user('console', oldCreate());
    user.loginProfile = { createDate: old() };
    user.passwordLastChanged = b.rng.chance(0.5) ? b.ago(1, 30) : user.loginProfile.createDate;
    return user;
  }
  const user = b.user('abandoned', oldCreate());
  b.loginProfile(user, b.maxAgeDays + 400);
  user.passwordLastUsed = old();
  const key = b.key(user, { createDate: b.keyCreateDate(user, b.maxAgeDays + 400) });
  key.lastUsed = old();
  return user;
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
