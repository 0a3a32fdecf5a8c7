import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANNOTATION_MAX_LENGTH, assessCredentials, decide, MS_PER_DAY } from '../../evaluator/decision';
import { ago, key, NOW, policy, user } from './decision-fixtures';

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
