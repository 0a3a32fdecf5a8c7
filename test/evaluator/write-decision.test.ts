import { describe, expect, it } from 'vitest';
import { decide, MS_PER_DAY, type UserFacts } from '../../evaluator/decision';
import { ExclusionList } from '../../evaluator/exclusions';
import { verdictState } from '../../evaluator/recorded-annotation';
import {
  goneUsers,
  type RecordedVerdict,
  refreshDue,
  refreshSlot,
  writeReason,
} from '../../evaluator/write-decision';
import { userId } from './handler-fixtures';

const NOW = new Date('2025-06-01T12:00:00Z');
const DAYS = 30;
const policy = { now: NOW, refreshDays: DAYS };
const daysAgo = (d: number) => new Date(NOW.getTime() - d * MS_PER_DAY);

function facts(overrides: Partial<UserFacts> = {}): UserFacts {
  return {
    userName: 'alice',
    userId: userId(1),
    passwordLastUsed: null,
    loginProfile: null,
    accessKeys: [
      { accessKeyId: 'AKIAKEY1', status: 'Active', createDate: daysAgo(400), lastUsedDate: daysAgo(3) },
      { accessKeyId: 'AKIAKEY2', status: 'Active', createDate: daysAgo(400), lastUsedDate: daysAgo(5) },
    ],
    ...overrides,
  };
}

function current(f: UserFacts, exclusions = ExclusionList.EMPTY) {
  const v = decide(f, { maxAgeDays: 90, exclusions }, NOW);
  return { userId: v.userId, compliance: v.compliance, state: verdictState(v) };
}

/** What Config holds after putting `f`'s verdict `recordedDaysAgo` days ago. */
function held(f: UserFacts, recordedDaysAgo: number, exclusions = ExclusionList.EMPTY) {
  const c = current(f, exclusions);
  const recorded: RecordedVerdict = {
    compliance: c.compliance,
    state: c.state,
    recordedAt: daysAgo(recordedDaysAgo),
  };
  return new Map([[c.userId, recorded]]);
}

/** A recording time on a day that is not the user's refresh day, and later today. */
const NOT_DUE = 0.01;

describe('writeReason', () => {
  const stale1 = facts({
    accessKeys: [
      { accessKeyId: 'AKIAKEY1', status: 'Active', createDate: daysAgo(400), lastUsedDate: daysAgo(100) },
      { accessKeyId: 'AKIAKEY2', status: 'Active', createDate: daysAgo(400), lastUsedDate: daysAgo(5) },
    ],
  });
  const stale2 = facts({
    accessKeys: [
      { accessKeyId: 'AKIAKEY1', status: 'Active', createDate: daysAgo(400), lastUsedDate: daysAgo(100) },
      { accessKeyId: 'AKIAKEY2', status: 'Active', createDate: daysAgo(400), lastUsedDate: daysAgo(120) },
    ],
  });

  it('skips a verdict Config holds, recorded earlier today', () => {
    expect(writeReason(current(facts()), held(facts(), NOT_DUE), policy)).toBeUndefined();
  });

  it('puts a compliance flip', () => {
    expect(writeReason(current(stale1), held(facts(), NOT_DUE), policy)).toBe('changed');
    expect(writeReason(current(facts()), held(stale1, NOT_DUE), policy)).toBe('changed');
  });

  it('puts a change of the revoke set while the user stays NON_COMPLIANT', () => {
    expect(current(stale1).compliance).toBe(current(stale2).compliance);
    expect(writeReason(current(stale2), held(stale1, NOT_DUE), policy)).toBe('changed');
  });

  it('puts a user no longer excluded, and one newly excluded, even with nothing to revoke', () => {
    const excluded = ExclusionList.parse('alice');
    expect(current(facts(), excluded).compliance).toBe(current(facts()).compliance);
    expect(writeReason(current(facts()), held(facts(), NOT_DUE, excluded), policy)).toBe('changed');
    expect(writeReason(current(facts(), excluded), held(facts(), NOT_DUE), policy)).toBe('changed');
    // Excluded and stale: COMPLIANT either way, but excluded -> not excluded is a flip to revoke.
    expect(writeReason(current(stale1), held(stale1, NOT_DUE, excluded), policy)).toBe('changed');
  });

  it('puts a user Config holds nothing for, or an annotation without a state token (older format)', () => {
    expect(writeReason(current(facts()), new Map(), policy)).toBe('new');
    const oldFormat = new Map([
      [userId(1), { compliance: 'COMPLIANT', state: undefined, recordedAt: daysAgo(NOT_DUE) }],
    ]);
    expect(writeReason(current(facts()), oldFormat, policy)).toBe('new');
  });

  it('puts every verdict when the recorded ones could not be read', () => {
    expect(writeReason(current(facts()), undefined, policy)).toBe('recorded-unreadable');
  });

  it('puts an unchanged verdict again when its refresh is due', () => {
    expect(writeReason(current(facts()), held(facts(), DAYS + 1), policy)).toBe('refresh');
  });
});

describe('refreshDue', () => {
  const id = userId(42);

  it('is due when nothing says when it was recorded, or after more than refreshDays', () => {
    expect(refreshDue(id, undefined, policy)).toBe(true);
    expect(refreshDue(id, daysAgo(DAYS + 1), policy)).toBe(true);
  });

  it('is due once on the user’s refresh day, never twice the same day', () => {
    // Prepare: the next day that is this user's refresh day.
    const slot = refreshSlot(id, DAYS);
    const day0 = Math.floor(NOW.getTime() / MS_PER_DAY);
    const offset = (((slot - day0) % DAYS) + DAYS) % DAYS;
    const refreshDay = new Date((day0 + offset) * MS_PER_DAY + 6 * 3600_000);
    const at = { now: refreshDay, refreshDays: DAYS };
    // Act / Assess
    expect(refreshDue(id, new Date(refreshDay.getTime() - DAYS * MS_PER_DAY), at)).toBe(true);
    expect(refreshDue(id, new Date(refreshDay.getTime() - 2 * 3600_000), at)).toBe(false);
    const nextDay = { now: new Date(refreshDay.getTime() + MS_PER_DAY), refreshDays: DAYS };
    expect(refreshDue(id, new Date(refreshDay.getTime() - 5 * MS_PER_DAY), nextDay)).toBe(false);
  });

  it('staggers users: daily runs put each user once per period, about 1/refreshDays a day', () => {
    // Prepare: 3,000 users all recorded on day 0 (a first run); 90 daily runs.
    const ids = Array.from({ length: 3000 }, (_, i) => userId(i));
    const recordedAt = new Map(ids.map((i) => [i, NOW]));
    const perDay: number[] = [];
    const refreshes = new Map<string, number[]>(ids.map((i) => [i, []]));
    // Act
    for (let day = 1; day <= 90; day++) {
      const now = new Date(NOW.getTime() + day * MS_PER_DAY);
      let put = 0;
      for (const i of ids) {
        if (!refreshDue(i, recordedAt.get(i), { now, refreshDays: DAYS })) continue;
        recordedAt.set(i, now);
        refreshes.get(i)?.push(day);
        put++;
      }
      perDay.push(put);
    }
    // Assess: 100 a day on average, never a burst; every user every 30 days, never older.
    expect(Math.max(...perDay)).toBeLessThanOrEqual(140);
    expect(Math.min(...perDay)).toBeGreaterThanOrEqual(60);
    for (const days of refreshes.values()) {
      expect(days.length).toBe(3);
      expect(days[0]).toBeLessThanOrEqual(DAYS);
      expect(days.slice(1).map((d, k) => d - (days[k] ?? 0))).toEqual([DAYS, DAYS]);
    }
  });

  it('gives each UserId the same refresh day on every run, spread over the period', () => {
    expect(refreshSlot(userId(7), DAYS)).toBe(refreshSlot(userId(7), DAYS));
    const slots = new Set(Array.from({ length: 1000 }, (_, i) => refreshSlot(userId(i), DAYS)));
    expect(slots.size).toBe(DAYS);
    expect(refreshSlot(userId(7), 1)).toBe(0);
  });
});

describe('goneUsers', () => {
  it('closes recorded users neither evaluated nor listed, sorted', () => {
    const recorded = [userId(3), userId(1), userId(2), userId(4)];
    expect(goneUsers(recorded, new Set([userId(1)]), new Set([userId(2)]))).toEqual([userId(3), userId(4)]);
    expect(goneUsers([], new Set(), new Set())).toEqual([]);
  });
});
