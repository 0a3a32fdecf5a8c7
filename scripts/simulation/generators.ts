import { MS_PER_DAY } from '../../evaluator/decision';
import type { ModelKey, ModelUser } from './model';
import type { Prng } from './prng';

/**
 * The benchmark's user generators: a Builder of users and keys with dates drawn around the limit,
 * and the kinds of user a synthetic account is made of (service, console, stale). accounts.ts
 * mixes them into accounts and moves them on after the report.
 */

export class Builder {
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

export function serviceUser(b: Builder): ModelUser {
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

export function consoleUser(b: Builder): ModelUser {
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

export function staleUser(b: Builder): ModelUser {
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
