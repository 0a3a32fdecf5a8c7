import { describe, expect, it } from 'vitest';
import { daysSince, decide, isStale } from '../../evaluator/decision';
import { ago, key, MAX, NOW, policy, SECOND, user } from './decision-fixtures';

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
