import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, MS_PER_DAY, type UserFacts } from '../../../evaluator/decision';
import { ExclusionList } from '../../../evaluator/exclusions';
import { type CredentialWarning, warningsFor } from '../../../evaluator/warnings/window';

const NOW = new Date('2026-12-02T10:00:00.000Z');
const MAX = 90;
const WARN = 7;
const HOUR = 60 * 60 * 1000;

/** A key last used so that it has `left` whole days before it turns stale at NOW. */
function usedWithDaysLeft(left: number, at: Date = NOW): Date {
  return new Date(at.getTime() - (MAX - left) * MS_PER_DAY);
}

function keyUser(lastUsed: Date, status: 'Active' | 'Inactive' = 'Active'): UserFacts {
  return {
    userName: 'alice',
    userId: 'AIDAAAAAAAAAAAAAAAAA1',
    passwordLastUsed: null,
    loginProfile: null,
    accessKeys: [
      {
        accessKeyId: 'AKIAAAAAAAAAAAAAAAA1',
        status,
        createDate: new Date('2020-01-01T00:00:00Z'),
        lastUsedDate: lastUsed,
      },
    ],
  };
}

function warn(user: UserFacts, now: Date, last: Date | undefined, exclude = ''): CredentialWarning[] {
  const verdict = decide(user, { maxAgeDays: MAX, exclusions: ExclusionList.parse(exclude) }, now);
  return warningsFor(verdict, { maxAgeDays: MAX, warnDays: WARN }, now, last);
}

describe('warning window boundaries', () => {
  it('warns a key with exactly warnDays left, as it enters the window', () => {
    // Given a key that turns stale in exactly 7 days; When the first run sees it
    const [w, ...rest] = warn(keyUser(usedWithDaysLeft(WARN)), NOW, undefined);
    // Then one entering-window warning with the revocation instant and the days left
    expect(rest).toEqual([]);
    expect(w).toMatchObject({
      credential: 'accessKey',
      accessKeyId: 'AKIAAAAAAAAAAAAAAAA1',
      daysLeft: WARN,
      kind: 'entering-window',
      staleAt: new Date(NOW.getTime() + WARN * MS_PER_DAY),
      lastUsed: usedWithDaysLeft(WARN),
    });
  });

  it('does not warn one day before the window', () => {
    expect(warn(keyUser(usedWithDaysLeft(WARN + 1)), NOW, undefined)).toEqual([]);
  });

  it('warns on the last day, as last-day', () => {
    expect(warn(keyUser(usedWithDaysLeft(1)), NOW, undefined)).toMatchObject([
      { daysLeft: 1, kind: 'last-day' },
    ]);
  });

  it('does not warn a key that is already stale (the rule revokes it instead)', () => {
    expect(warn(keyUser(usedWithDaysLeft(0)), NOW, undefined)).toEqual([]);
    expect(warn(keyUser(usedWithDaysLeft(-3)), NOW, undefined)).toEqual([]);
  });

  it('does not warn an excluded user', () => {
    expect(warn(keyUser(usedWithDaysLeft(3)), NOW, undefined, 'alice')).toEqual([]);
  });

  it('does not warn an inactive key (the runbook would change nothing)', () => {
    expect(warn(keyUser(usedWithDaysLeft(3), 'Inactive'), NOW, undefined)).toEqual([]);
  });

  it('warns a never-used password by its login profile age, with lastUsed null', () => {
    const user: UserFacts = {
      ...keyUser(usedWithDaysLeft(50)),
      loginProfile: { createDate: usedWithDaysLeft(2) },
    };
    expect(warn(user, NOW, undefined)).toMatchObject([
      { credential: 'password', lastUsed: null, daysLeft: 2, kind: 'entering-window' },
    ]);
  });

  it('sends nothing when warnDays is 0 (warnings off)', () => {
    const verdict = decide(
      keyUser(usedWithDaysLeft(1)),
      { maxAgeDays: MAX, exclusions: ExclusionList.EMPTY },
      NOW,
    );
    expect(warningsFor(verdict, { maxAgeDays: MAX, warnDays: 0 }, NOW, undefined)).toEqual([]);
  });
});

describe('deduplication by the last delivered run', () => {
  /** Runs at the given instants, each delivering all its warnings; returns every warning sent. */
  function runAt(times: readonly Date[], lastUsed: Date): CredentialWarning[] {
    let last: Date | undefined;
    const sent: CredentialWarning[] = [];
    for (const t of times) {
      sent.push(...warn(keyUser(lastUsed), t, last));
      last = t;
    }
    return sent;
  }

  it('hourly runs through the whole window send two warnings: entering and last day', () => {
    // Given a key entering the window at NOW and hourly runs from a day before to after revocation
    const start = NOW.getTime() - MS_PER_DAY;
    const times = Array.from({ length: 24 * 10 }, (_, i) => new Date(start + i * HOUR));
    // When every run delivers; Then exactly two warnings went out
    expect(runAt(times, usedWithDaysLeft(WARN)).map((w) => [w.kind, w.daysLeft])).toEqual([
      ['entering-window', WARN],
      ['last-day', 1],
    ]);
  });

  it('a credential first seen inside the window is warned at once, then on its last day', () => {
    const times = [0, 1, 2, 3].map((d) => new Date(NOW.getTime() + d * MS_PER_DAY));
    expect(runAt(times, usedWithDaysLeft(4)).map((w) => [w.kind, w.daysLeft])).toEqual([
      ['entering-window', 4],
      ['last-day', 1],
    ]);
  });

  it('a missed run is covered: the next delivered run warns what entered meanwhile', () => {
    // The last delivery was 3 days ago, before the key entered the window (5 days left now).
    const last = new Date(NOW.getTime() - 3 * MS_PER_DAY);
    expect(warn(keyUser(usedWithDaysLeft(5)), NOW, last)).toMatchObject([{ kind: 'entering-window' }]);
  });

  it('losing the state repeats one warning, never skips one', () => {
    const lastUsed = usedWithDaysLeft(5);
    const dayBefore = new Date(NOW.getTime() - MS_PER_DAY);
    expect(warn(keyUser(lastUsed), NOW, dayBefore)).toEqual([]);
    expect(warn(keyUser(lastUsed), NOW, undefined)).toHaveLength(1);
  });

  it('a last delivery in the future counts as unknown', () => {
    const future = new Date(NOW.getTime() + HOUR);
    expect(warn(keyUser(usedWithDaysLeft(5)), NOW, future)).toHaveLength(1);
  });

  it('any run schedule: at most two warnings per cycle, and one as soon as a run falls in the window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 60_000, max: 40 * HOUR }), { minLength: 1, maxLength: 300 }),
        (gaps) => {
          let t = NOW.getTime() - 2 * MS_PER_DAY;
          const times = gaps.map((gap) => {
            t += gap;
            return new Date(t);
          });
          const lastUsed = usedWithDaysLeft(WARN);
          const sent = runAt(times, lastUsed);
          expect(sent.length).toBeLessThanOrEqual(2);
          const runsInWindow = times.filter((x) => warn(keyUser(lastUsed), x, undefined).length > 0);
          expect(sent.length > 0).toBe(runsInWindow.length > 0);
        },
      ),
    );
  });
});
