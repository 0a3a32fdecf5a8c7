import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AccessKeyFacts,
  ANNOTATION_MAX_LENGTH,
  assessCredentials,
  daysSince,
  decide,
  isStale,
  MS_PER_DAY,
  type Policy,
  type UserFacts,
} from '../../evaluator/decision';
import { ExclusionList } from '../../evaluator/exclusions';

const NOW = new Date('2025-08-27T03:00:00.000Z');
const MAX = 30;
const SECOND = 1000;

/** The instant `days` whole days (plus `ms`) before NOW. */
function ago(days: number, ms = 0): Date {
  return new Date(NOW.getTime() - days * MS_PER_DAY - ms);
}

function user(overrides: Partial<UserFacts> = {}): UserFacts {
  return {
    userName: 'alice',
    userId: 'AIDAAAAAAAAAAAAAAAAA1',
    passwordLastUsed: null,
    loginProfile: null,
    accessKeys: [],
    ...overrides,
  };
}

function key(id: string, overrides: Partial<AccessKeyFacts> = {}): AccessKeyFacts {
  return { accessKeyId: id, status: 'Active', createDate: ago(400), lastUsedDate: null, ...overrides };
}

function policy(exclude = '', maxAgeDays = MAX): Policy {
  return { maxAgeDays, exclusions: ExclusionList.parse(exclude) };
}

describe('daysSince / isStale: whole days rounded down, stale at >= max', () => {
  it.each([
    [ago(30), 30],
    [ago(30, -SECOND), 29],
    [ago(30, -1), 29],
    [ago(30, SECOND), 30],
    [ago(31, -1), 30],
    [ago(0), 0],
    [ago(0, -SECOND), -1], // a date in the future
  ])('%s is %i days before now', (t, days) => {
    expect(daysSince(t, NOW)).toBe(days);
  });

  it('is stale from exactly the max age on', () => {
    expect(isStale(29, 30)).toBe(false);
    expect(isStale(30, 30)).toBe(true);
    expect(isStale(31, 30)).toBe(true);
  });
});

describe('password', () => {
  it('is stale when last used exactly max age days ago', () => {
    const v = decide(
      user({ loginProfile: { createDate: ago(400) }, passwordLastUsed: ago(MAX) }),
      policy(),
      NOW,
    );
    expect(v.compliance).toBe('NON_COMPLIANT');
    expect(v.revoke).toEqual({ password: true, accessKeyIds: [] });
    expect(v.credentials).toEqual([
      { credential: 'password', since: ago(MAX), basis: 'lastUsed', ageDays: MAX, stale: true },
    ]);
    expect(v.annotation).toBe('alice: password 30d unused, limit 30d; will be revoked');
  });

  it('is not stale one second before that', () => {
    const v = decide(
      user({ loginProfile: { createDate: ago(400) }, passwordLastUsed: ago(MAX, -SECOND) }),
      policy(),
      NOW,
    );
    expect(v.compliance).toBe('COMPLIANT');
    expect(v.revoke).toEqual({ password: false, accessKeyIds: [] });
    expect(v.credentials[0]).toMatchObject({ ageDays: MAX - 1, stale: false });
  });

  it('never used: measured from the login profile CreateDate', () => {
    const stale = decide(user({ loginProfile: { createDate: ago(MAX) } }), policy(), NOW);
    expect(stale.compliance).toBe('NON_COMPLIANT');
    expect(stale.credentials[0]).toMatchObject({
      basis: 'created',
      since: ago(MAX),
      ageDays: MAX,
      stale: true,
    });
    expect(stale.annotation).toBe('alice: password 30d (never used) unused, limit 30d; will be revoked');

    const fresh = decide(user({ loginProfile: { createDate: ago(MAX, -SECOND) } }), policy(), NOW);
    expect(fresh.compliance).toBe('COMPLIANT');
    expect(fresh.credentials[0]).toMatchObject({ basis: 'created', ageDays: MAX - 1, stale: false });
  });

  it('a recent use wins over an old login profile', () => {
    const v = decide(
      user({ loginProfile: { createDate: ago(400) }, passwordLastUsed: ago(1) }),
      policy(),
      NOW,
    );
    expect(v.compliance).toBe('COMPLIANT');
    expect(v.credentials[0]).toMatchObject({ basis: 'lastUsed', ageDays: 1 });
  });

  it('a login profile re-created today does not reset an old PasswordLastUsed (the runbook reads the last sign-in)', () => {
    const v = decide(
      user({ loginProfile: { createDate: ago(0) }, passwordLastUsed: ago(100) }),
      policy(),
      NOW,
    );
    expect(v.compliance).toBe('NON_COMPLIANT');
    expect(v.revoke.password).toBe(true);
    expect(v.credentials[0]).toMatchObject({ basis: 'lastUsed', ageDays: 100 });
  });

  it('without a login profile the password is ignored, however old PasswordLastUsed is', () => {
    const v = decide(user({ loginProfile: null, passwordLastUsed: ago(5000) }), policy(), NOW);
    expect(v.compliance).toBe('COMPLIANT');
    expect(v.credentials).toEqual([]);
    expect(v.revoke).toEqual({ password: false, accessKeyIds: [] });
    expect(v.annotation).toBe('alice: no console password and no active access key');
  });
});

describe('access keys', () => {
  it('an active key last used exactly max age days ago is revoked; one second later it is not', () => {
    const stale = decide(
      user({ accessKeys: [key('AKIA0000000000000001', { lastUsedDate: ago(MAX) })] }),
      policy(),
      NOW,
    );
    expect(stale.compliance).toBe('NON_COMPLIANT');
    expect(stale.revoke).toEqual({ password: false, accessKeyIds: ['AKIA0000000000000001'] });

    const fresh = decide(
      user({ accessKeys: [key('AKIA0000000000000001', { lastUsedDate: ago(MAX, -SECOND) })] }),
      policy(),
      NOW,
    );
    expect(fresh.compliance).toBe('COMPLIANT');
  });

  it('a never-used key is measured from its CreateDate', () => {
    const old = decide(
      user({ accessKeys: [key('AKIA0000000000000001', { createDate: ago(MAX) })] }),
      policy(),
      NOW,
    );
    expect(old.credentials).toEqual([
      {
        credential: 'accessKey',
        accessKeyId: 'AKIA0000000000000001',
        since: ago(MAX),
        basis: 'created',
        ageDays: MAX,
        stale: true,
      },
    ]);
    const young = decide(
      user({ accessKeys: [key('AKIA0000000000000001', { createDate: ago(0, 57 * 60 * SECOND) })] }),
      policy(),
      NOW,
    );
    expect(young.compliance).toBe('COMPLIANT');
    expect(young.credentials[0]).toMatchObject({ ageDays: 0, stale: false });
  });

  it('a recent use wins over an old CreateDate', () => {
    const v = decide(
      user({ accessKeys: [key('AKIA0000000000000001', { createDate: ago(900), lastUsedDate: ago(2) })] }),
      policy(),
      NOW,
    );
    expect(v.compliance).toBe('COMPLIANT');
  });

  it('inactive keys are ignored, however old', () => {
    const v = decide(
      user({ accessKeys: [key('AKIA0000000000000001', { status: 'Inactive', createDate: ago(5000) })] }),
      policy(),
      NOW,
    );
    expect(v.compliance).toBe('COMPLIANT');
    expect(v.credentials).toEqual([]);
  });

  it('two keys, one stale: only that one is revoked', () => {
    const v = decide(
      user({
        accessKeys: [
          key('AKIA0000000000000001', { lastUsedDate: ago(1) }),
          key('AKIA0000000000000002', { lastUsedDate: ago(45) }),
        ],
      }),
      policy(),
      NOW,
    );
    expect(v.compliance).toBe('NON_COMPLIANT');
    expect(v.revoke).toEqual({ password: false, accessKeyIds: ['AKIA0000000000000002'] });
    expect(v.annotation).toBe('alice: key AKIA0000000000000002 45d unused, limit 30d; will be revoked');
  });

  it('two keys, both stale, and the password: all three are revoked', () => {
    const v = decide(
      user({
        loginProfile: { createDate: ago(100) },
        passwordLastUsed: ago(31),
        accessKeys: [key('AKIA0000000000000001'), key('AKIA0000000000000002', { lastUsedDate: ago(30) })],
      }),
      policy(),
      NOW,
    );
    expect(v.revoke).toEqual({
      password: true,
      accessKeyIds: ['AKIA0000000000000001', 'AKIA0000000000000002'],
    });
    expect(v.annotation).toBe(
      'alice: password 31d, key AKIA0000000000000001 400d (never used), key AKIA0000000000000002 30d unused, limit 30d; will be revoked',
    );
  });

  it('an inactive stale key next to an active fresh one leaves the user compliant', () => {
    const v = decide(
      user({
        accessKeys: [
          key('AKIA0000000000000001', { status: 'Inactive' }),
          key('AKIA0000000000000002', { lastUsedDate: ago(3) }),
        ],
      }),
      policy(),
      NOW,
    );
    expect(v.compliance).toBe('COMPLIANT');
    expect(v.annotation).toBe(
      'alice: no credential unused for 30d or more; oldest key AKIA0000000000000002 3d',
    );
  });
});

describe('exclusions', () => {
  const staleUser = user({
    userName: 'Break-Glass',
    loginProfile: { createDate: ago(400) },
    passwordLastUsed: ago(48),
    accessKeys: [key('AKIA0000000000000001')],
  });

  it('an excluded user is COMPLIANT with nothing to revoke, matched by name case-insensitively', () => {
    const v = decide(staleUser, policy('break-glass'), NOW);
    expect(v.compliance).toBe('COMPLIANT');
    expect(v.excluded).toBe(true);
    expect(v.exclusion).toEqual({ entry: { raw: 'break-glass', kind: 'name' }, matchedBy: 'name' });
    expect(v.revoke).toEqual({ password: false, accessKeyIds: [] });
    // The assessment is kept so auditors see what the exclusion prevented.
    expect(v.credentials.filter((c) => c.stale)).toHaveLength(2);
    expect(v.annotation).toBe(
      'EXCLUDED Break-Glass by name entry "break-glass"; would otherwise revoke password 48d, key AKIA0000000000000001 400d (never used) (limit 30d)',
    );
  });

  it('an excluded user is matched by exact UserId', () => {
    const v = decide(staleUser, policy(`someone,${staleUser.userId}`), NOW);
    expect(v.compliance).toBe('COMPLIANT');
    expect(v.exclusion?.matchedBy).toBe('userId');
    expect(v.annotation).toMatch(
      /^EXCLUDED Break-Glass by UserId entry "AIDAAAAAAAAAAAAAAAAA1"; would otherwise/,
    );
  });

  it('a UserId entry does not protect a new user that took the same name', () => {
    const recreated = { ...staleUser, userId: 'AIDABBBBBBBBBBBBBBBBB' };
    const v = decide(recreated, policy(staleUser.userId), NOW);
    expect(v.compliance).toBe('NON_COMPLIANT');
    expect(v.excluded).toBe(false);
  });

  it('an excluded user with nothing stale still says it is excluded', () => {
    const v = decide(user(), policy('ALICE'), NOW);
    expect(v).toMatchObject({ compliance: 'COMPLIANT', excluded: true });
    expect(v.annotation).toBe('EXCLUDED alice by name entry "ALICE"');
  });
});

describe('annotation length (Config accepts 1-256 characters)', () => {
  const longName = `${'n'.repeat(63)}x`;

  it.each([
    ['non-compliant', ''],
    ['excluded', longName.toUpperCase()],
  ])('stays within 256 for a 64-character name with a password and two stale keys (%s)', (_case, exclude) => {
    const v = decide(
      user({
        userName: longName,
        loginProfile: { createDate: ago(9999) },
        accessKeys: [key(`AKIA${'1'.repeat(124)}`), key(`AKIA${'2'.repeat(124)}`)],
      }),
      policy(exclude, 1),
      NOW,
    );
    expect(v.annotation.length).toBeGreaterThan(0);
    expect(v.annotation.length).toBeLessThanOrEqual(ANNOTATION_MAX_LENGTH);
    expect(v.annotation.startsWith(exclude ? `EXCLUDED ${longName}` : `${longName}: password`)).toBe(true);
  });

  it('cuts an over-long annotation to exactly 256 characters ending with an ellipsis', () => {
    const v = decide(
      user({
        userName: longName,
        accessKeys: [key(`AKIA${'1'.repeat(124)}`), key(`AKIA${'2'.repeat(124)}`)],
      }),
      policy(),
      NOW,
    );
    expect(v.annotation).toHaveLength(ANNOTATION_MAX_LENGTH);
    expect(Buffer.byteLength(v.annotation, 'utf8')).toBe(ANNOTATION_MAX_LENGTH);
    expect(v.annotation.endsWith('...')).toBe(true);
  });

  it('with a 64-character name and two 20-character keys a non-compliant annotation is not cut', () => {
    const v = decide(
      user({
        userName: longName,
        loginProfile: { createDate: ago(9999) },
        accessKeys: [key('AKIA0000000000000001'), key('AKIA0000000000000002')],
      }),
      policy(),
      NOW,
    );
    expect(v.annotation).toBe(
      `${longName}: password 9999d (never used), key AKIA0000000000000001 400d (never used), ` +
        'key AKIA0000000000000002 400d (never used) unused, limit 30d; will be revoked',
    );
  });

  it('the same user excluded by name keeps "EXCLUDED <name> by name" when the tail is cut', () => {
    const v = decide(
      user({
        userName: longName,
        loginProfile: { createDate: ago(9999) },
        accessKeys: [key('AKIA0000000000000001'), key('AKIA0000000000000002')],
      }),
      policy(longName),
      NOW,
    );
    expect(v.annotation).toHaveLength(ANNOTATION_MAX_LENGTH);
    expect(
      v.annotation.startsWith(`EXCLUDED ${longName} by name entry "${longName}"; would otherwise revoke`),
    ).toBe(true);
  });
});

describe('property: NON_COMPLIANT iff not excluded and some assessed credential is >= max whole days unused', () => {
  const NAMES = ['alice', 'Bob', 'svc-deploy', 'break-glass'];
  const IDS = ['AIDAAAAAAAAAAAAAAAAA1', 'AIDAAAAAAAAAAAAAAAAA2', 'AIDAAAAAAAAAAAAAAAAA3'];
  // Offsets cluster around whole-day boundaries, where an off-by-one would show.
  const offsetMs = fc.oneof(
    fc.integer({ min: -2 * MS_PER_DAY, max: 500 * MS_PER_DAY }),
    fc
      .tuple(fc.integer({ min: 0, max: 120 }), fc.constantFrom(-1000, -1, 0, 1, 1000))
      .map(([d, ms]) => d * MS_PER_DAY + ms),
  );
  const date = offsetMs.map((ms) => new Date(NOW.getTime() - ms));
  const keyArb = fc.record({
    accessKeyId: fc.constantFrom('AKIA0000000000000001', 'AKIA0000000000000002', 'AKIA0000000000000003'),
    status: fc.constantFrom('Active' as const, 'Inactive' as const),
    createDate: date,
    lastUsedDate: fc.option(date, { nil: null }),
  });
  const userArb = fc.record({
    userName: fc.constantFrom(...NAMES, ...NAMES.map((n) => n.toUpperCase())),
    userId: fc.constantFrom(...IDS),
    passwordLastUsed: fc.option(date, { nil: null }),
    loginProfile: fc.option(fc.record({ createDate: date }), { nil: null }),
    accessKeys: fc.uniqueArray(keyArb, { maxLength: 2, selector: (k) => k.accessKeyId }),
  });
  const excludeArb = fc.subarray([...NAMES, ...NAMES.map((n) => n.toLowerCase()), ...IDS]);

  it('holds, and revoke lists exactly the stale credentials', () => {
    fc.assert(
      fc.property(userArb, excludeArb, fc.integer({ min: 1, max: 120 }), (u, exclude, maxAgeDays) => {
        const v = decide(u, policy(exclude.join(','), maxAgeDays), NOW);
        // Independent oracle, written from the runbook's rules rather than from decide().
        const floorDays = (t: Date) => Math.floor((NOW.getTime() - t.getTime()) / 86_400_000);
        const excluded = exclude.some((e) => e === u.userId || e.toLowerCase() === u.userName.toLowerCase());
        const passwordStale =
          u.loginProfile !== null && floorDays(u.passwordLastUsed ?? u.loginProfile.createDate) >= maxAgeDays;
        const staleKeys = u.accessKeys
          .filter((k) => k.status === 'Active' && floorDays(k.lastUsedDate ?? k.createDate) >= maxAgeDays)
          .map((k) => k.accessKeyId);
        const nonCompliant = !excluded && (passwordStale || staleKeys.length > 0);

        expect(v.compliance).toBe(nonCompliant ? 'NON_COMPLIANT' : 'COMPLIANT');
        expect(v.excluded).toBe(excluded);
        expect(v.revoke).toEqual(
          excluded
            ? { password: false, accessKeyIds: [] }
            : { password: passwordStale, accessKeyIds: staleKeys },
        );
        expect(v.annotation.length).toBeGreaterThanOrEqual(1);
        expect(Buffer.byteLength(v.annotation, 'utf8')).toBeLessThanOrEqual(ANNOTATION_MAX_LENGTH);
        expect(v.annotation.startsWith('EXCLUDED ')).toBe(excluded);
        expect(assessCredentials(u, maxAgeDays, NOW)).toHaveLength(
          (u.loginProfile ? 1 : 0) + u.accessKeys.filter((k) => k.status === 'Active').length,
        );
      }),
      { seed: 20250827, numRuns: 3000 },
    );
  });
});
