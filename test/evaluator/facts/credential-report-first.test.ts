import { describe, expect, it } from 'vitest';
import { IamAccount, type ModelUser } from '../../../scripts/simulation/model';
import { daysAgo, key, REPORT_CALLS, scenario, sinceReport, user } from './credential-report-first-fixtures';

describe('CredentialReportFirstSource', () => {
  it('makes no live call for credentials the report proves fresh', async () => {
    // Given
    const account = new IamAccount([
      user('svc', { keys: [key(1, 500, 2), key(2, 30, null, 'Inactive')] }),
      user('console', { loginProfile: { createDate: daysAgo(700) }, passwordLastUsed: daysAgo(10) }),
      user('nothing'),
    ]);
    // When
    const r = await scenario(account.clone(), account);
    // Then
    expect(r.calls).toEqual(REPORT_CALLS);
    expect(r.verdicts).toEqual({ svc: 'COMPLIANT', console: 'COMPLIANT', nothing: 'COMPLIANT' });
    expect(r.verdicts).toEqual(r.perUser);
    expect(r.stats).toMatchObject({
      source: 'credential-report',
      users: 3,
      usersProvenFresh: 3,
      reportAgeMinutes: 180,
    });
  });

  it('confirms a key the report shows stale: still unused ⇒ NON_COMPLIANT with its id', async () => {
    // Given
    const account = new IamAccount([user('svc', { keys: [key(1, 500, 120)] })]);
    // When
    const r = await scenario(account.clone(), account);
    // Then
    expect(r.calls).toEqual({ ...REPORT_CALLS, ListAccessKeys: 1, GetAccessKeyLastUsed: 1 });
    expect(r.verdicts).toEqual({ svc: 'NON_COMPLIANT AKIA0000000000000001' });
    expect(r.verdicts).toEqual(r.perUser);
  });

  it('confirms a key the report shows stale: used since the report ⇒ COMPLIANT', async () => {
    // Given
    const live = new IamAccount([user('svc', { keys: [key(1, 500, 120)] })]);
    const atReport = live.clone();
    const k = live.users[0]?.keys[0];
    if (k) k.lastUsed = sinceReport(0.5);
    // When
    const r = await scenario(atReport, live);
    // Then
    expect(r.verdicts).toEqual({ svc: 'COMPLIANT' });
    expect(r.verdicts).toEqual(r.perUser);
  });

  it('confirms never-used credentials: an old unused key and a login profile never used', async () => {
    // Given
    const account = new IamAccount([
      user('key-never-used', { keys: [key(1, 95, null)] }),
      user('password-never-used', {
        loginProfile: { createDate: daysAgo(100) },
        passwordLastChanged: daysAgo(3),
      }),
      user('young-password-never-used', {
        createDate: daysAgo(20),
        loginProfile: { createDate: daysAgo(20) },
      }),
    ]);
    // When
    const r = await scenario(account.clone(), account);
    // Then
    expect(r.verdicts).toEqual({
      'key-never-used': 'NON_COMPLIANT AKIA0000000000000001',
      'password-never-used': 'NON_COMPLIANT password',
      'young-password-never-used': 'COMPLIANT',
    });
    expect(r.verdicts).toEqual(r.perUser);
    // The young user needs no call: its profile cannot be older than the user.
    expect(r.calls).toEqual({
      ...REPORT_CALLS,
      ListAccessKeys: 1,
      GetAccessKeyLastUsed: 1,
      GetLoginProfile: 1,
    });
  });

  it('handles a key rotated since the report (old key deleted, new key created)', async () => {
    // Given
    const live = new IamAccount([
      user('rotated-fresh', { keys: [key(1, 400, 1), key(2, 300, 2)] }),
      user('rotated-stale', { keys: [key(3, 400, 200), key(4, 300, 1)] }),
    ]);
    const atReport = live.clone();
    for (const [i, u] of live.users.entries()) {
      u.keys.shift();
      u.keys.push({
        id: `AKIA9${String(i).padStart(15, '0')}`,
        status: 'Active',
        createDate: sinceReport(0.3),
        lastUsed: null,
      });
    }
    // When
    const r = await scenario(atReport, live);
    // Then
    expect(r.verdicts).toEqual({ 'rotated-fresh': 'COMPLIANT', 'rotated-stale': 'COMPLIANT' });
    expect(r.verdicts).toEqual(r.perUser);
    // rotated-fresh: all report slots fresh ⇒ no call; rotated-stale: one ListAccessKeys, the new key is unknown.
    expect(r.calls).toEqual({ ...REPORT_CALLS, ListAccessKeys: 1, GetAccessKeyLastUsed: 1 });
  });

  it('does not trust slot order: the same verdicts with the slots reversed', async () => {
    // Given
    const account = new IamAccount([
      user('two-keys', { keys: [key(1, 400, 150), key(2, 300, 1)] }),
      user('two-keys-b', { keys: [key(3, 400, 1), key(4, 300, 150)] }),
    ]);
    // When
    const r = await scenario(account.clone(), account, { slotOrder: 'reversed' });
    // Then
    expect(r.verdicts).toEqual({
      'two-keys': 'NON_COMPLIANT AKIA0000000000000001',
      'two-keys-b': 'NON_COMPLIANT AKIA0000000000000004',
    });
    expect(r.verdicts).toEqual(r.perUser);
  });

  it('catches an old inactive key reactivated since the report', async () => {
    // Given
    const live = new IamAccount([user('reactivated', { keys: [key(1, 400, 300, 'Inactive')] })]);
    const atReport = live.clone();
    const k = live.users[0]?.keys[0];
    if (k) k.status = 'Active';
    // When
    const r = await scenario(atReport, live);
    // Then
    expect(r.verdicts).toEqual({ reactivated: 'NON_COMPLIANT AKIA0000000000000001' });
    expect(r.verdicts).toEqual(r.perUser);
  });

  it('reads users created since the report fully live, also one re-created under a deleted name', async () => {
    // Given
    const atReport = new IamAccount([user('gone', { keys: [key(1, 500, 1)] }), user('stays')]);
    const live = new IamAccount([
      atReport.users[1] as ModelUser,
      user('gone', { createDate: sinceReport(0.2), keys: [key(2, 0.01, null)] }),
      user('brand-new', { createDate: sinceReport(0.1), loginProfile: { createDate: sinceReport(0.2) } }),
    ]);
    // When
    const r = await scenario(atReport, live);
    // Then
    expect(r.verdicts).toEqual({ stays: 'COMPLIANT', gone: 'COMPLIANT', 'brand-new': 'COMPLIANT' });
    expect(r.verdicts).toEqual(r.perUser);
    expect(r.stats).toMatchObject({ usersNotInReport: 2, reportRowsGone: 1 });
    expect(r.calls).toEqual({
      ...REPORT_CALLS,
      GetLoginProfile: 2,
      ListAccessKeys: 2,
      GetAccessKeyLastUsed: 1,
    });
  });

  it('does not evaluate users deleted since the report', async () => {
    // Given
    const atReport = new IamAccount([user('deleted', { keys: [key(1, 500, 300)] }), user('kept')]);
    const live = atReport.clone();
    live.remove('deleted');
    // When
    const r = await scenario(atReport, live);
    // Then
    expect(r.verdicts).toEqual({ kept: 'COMPLIANT' });
    expect(r.calls).toEqual(REPORT_CALLS);
  });

  it('confirms a login profile created since the report when PasswordLastUsed (older password) is old', async () => {
    // Given
    const atReport = new IamAccount([
      user('old-password-back', { passwordLastUsed: daysAgo(200) }),
      user('new-password', {}),
    ]);
    const live = atReport.clone();
    for (const u of live.users) u.loginProfile = { createDate: sinceReport(0.5) };
    // When
    const r = await scenario(atReport, live);
    // Then
    // The runbook measures from PasswordLastUsed when set: 200 days.
    expect(r.verdicts).toEqual({
      'old-password-back': 'NON_COMPLIANT password',
      'new-password': 'COMPLIANT',
    });
    expect(r.verdicts).toEqual(r.perUser);
    expect(r.calls).toEqual({ ...REPORT_CALLS, GetLoginProfile: 1 });
  });

  it('confirms a stale password whose login profile remediation deleted since the report', async () => {
    // Given
    const atReport = new IamAccount([
      user('remediated', { loginProfile: { createDate: daysAgo(500) }, passwordLastUsed: daysAgo(120) }),
    ]);
    const live = atReport.clone();
    (live.users[0] as ModelUser).loginProfile = null;
    // When
    const r = await scenario(atReport, live);
    // Then
    expect(r.verdicts).toEqual({ remediated: 'COMPLIANT' });
    expect(r.verdicts).toEqual(r.perUser);
    // GetLoginProfile's NoSuchEntity could also mean "no user": one ListAccessKeys settles it.
    expect(r.calls).toEqual({ ...REPORT_CALLS, GetLoginProfile: 1, ListAccessKeys: 1 });
    expect(r.stats).toMatchObject({ userExistenceChecks: 1, usersDeletedDuringRun: 0 });
  });
});
