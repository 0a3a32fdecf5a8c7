import { describe, expect, it } from 'vitest';
import type { CredentialReportAccessKey, CredentialReportUser } from '../../../evaluator/credential-report';
import { MS_PER_DAY } from '../../../evaluator/decision';
import {
  indexCredentialReport,
  matchCredentialReportRow,
  newerThanReportIsFresh,
  planKeys,
  planPassword,
  proveLiveKey,
  REPORT_SNAPSHOT_MARGIN_MS,
  reportedLastUse,
  reportSlotKeyId,
} from '../../../evaluator/facts/credential-report-proof';
import type { LiveAccessKey, LiveUser } from '../../../evaluator/facts/iam-live';

const NOW = new Date('2025-06-01T12:00:00Z');
const MAX = 90;
const REPORT_TIME = new Date(NOW.getTime() - 3 * 60 * 60 * 1000);
const ctx = { now: NOW, maxAgeDays: MAX, reportGeneratedTime: REPORT_TIME };

const daysAgo = (days: number) => new Date(NOW.getTime() - days * MS_PER_DAY);
const OLD_USER = daysAgo(1000);

function liveUser(overrides: Partial<LiveUser> = {}): LiveUser {
  return {
    userName: 'alice',
    userId: 'AIDA00000000000000001',
    createDate: OLD_USER,
    passwordLastUsed: null,
    ...overrides,
  };
}

const EMPTY_SLOT = (slot: 1 | 2): CredentialReportAccessKey => ({
  slot,
  active: false,
  lastRotated: null,
  lastUsedDate: null,
  lastUsedRegion: null,
  lastUsedService: null,
});

function slot(n: 1 | 2, fields: Partial<CredentialReportAccessKey>): CredentialReportAccessKey {
  return { ...EMPTY_SLOT(n), active: true, ...fields };
}

function row(overrides: Partial<CredentialReportUser> = {}): CredentialReportUser {
  return {
    line: 2,
    user: 'alice',
    arn: 'arn:aws:iam::111111111111:user/alice',
    userCreationTime: OLD_USER,
    passwordEnabled: false,
    passwordLastUsed: null,
    passwordLastUsedRaw: 'N/A',
    passwordLastChanged: null,
    mfaActive: false,
    accessKeys: [EMPTY_SLOT(1), EMPTY_SLOT(2)],
    ...overrides,
  };
}

describe('matchCredentialReportRow', () => {
  it('matches by name and creation second, so a re-created user is not matched', () => {
    const rows = indexCredentialReport([row({ userCreationTime: new Date('2022-01-01T00:00:00Z') })]);
    expect(
      matchCredentialReportRow(liveUser({ createDate: new Date('2022-01-01T00:00:00.700Z') }), rows),
    ).toBeDefined();
    expect(
      matchCredentialReportRow(liveUser({ createDate: new Date('2022-01-01T00:00:01Z') }), rows),
    ).toBeUndefined();
    expect(matchCredentialReportRow(liveUser({ userName: 'bob' }), rows)).toBeUndefined();
  });

  it('uses no row whose creation second another row shares: a renamed user could take its name', () => {
    // Prepare: alice and bob created in the same second; carol a second later. Since the report,
    // bob was deleted and alice renamed to bob (same UserId and CreateDate).
    const sameSecond = new Date('2024-01-01T00:00:00.100Z');
    const rows = indexCredentialReport([
      row({ user: 'alice', userCreationTime: new Date('2024-01-01T00:00:00Z') }),
      row({ user: 'bob', userCreationTime: new Date('2024-01-01T00:00:00Z') }),
      row({ user: 'carol', userCreationTime: new Date('2024-01-01T00:00:01Z') }),
    ]);
    // Act
    const renamedAlice = matchCredentialReportRow(
      liveUser({ userName: 'bob', createDate: sameSecond }),
      rows,
    );
    const carol = matchCredentialReportRow(
      liveUser({ userName: 'carol', createDate: new Date('2024-01-01T00:00:01.500Z') }),
      rows,
    );
    // Assess
    expect(renamedAlice).toBeUndefined();
    expect(carol?.user).toBe('carol');
    expect([...rows.keys()]).toEqual(['carol']);
  });
});

describe('planPassword', () => {
  it('proves a password used within the limit from the live PasswordLastUsed', () => {
    const plan = planPassword(
      liveUser({ passwordLastUsed: daysAgo(89.99) }),
      row({ passwordEnabled: true }),
      ctx,
    );
    expect(plan).toEqual({ kind: 'proven', loginProfile: { createDate: OLD_USER } });
  });

  it('confirms a password whose last use is at the limit, even if the report said no password', () => {
    expect(
      planPassword(liveUser({ passwordLastUsed: daysAgo(90) }), row({ passwordEnabled: true }), ctx),
    ).toEqual({
      kind: 'confirm',
    });
    expect(
      planPassword(liveUser({ passwordLastUsed: daysAgo(200) }), row({ passwordEnabled: false }), ctx),
    ).toEqual({
      kind: 'confirm',
    });
  });

  it('proves a never-used password of a user created within the limit (the profile is younger)', () => {
    const user = liveUser({ createDate: daysAgo(89.5) });
    expect(
      planPassword(user, row({ passwordEnabled: true, userCreationTime: user.createDate }), ctx),
    ).toEqual({
      kind: 'proven',
      loginProfile: { createDate: user.createDate },
    });
  });

  it('confirms a never-used password of an old user: password_last_changed is no lower bound of CreateDate', () => {
    const plan = planPassword(
      liveUser(),
      row({ passwordEnabled: true, passwordLastChanged: daysAgo(1) }),
      ctx,
    );
    expect(plan).toEqual({ kind: 'confirm' });
  });

  it('proves no stale password when the report had none and nobody used one: any profile is newer', () => {
    expect(planPassword(liveUser(), row({ passwordEnabled: false }), ctx)).toEqual({
      kind: 'proven',
      loginProfile: null,
    });
  });

  it('confirms that case when the report is as old as the limit', () => {
    const oldReport = {
      ...ctx,
      maxAgeDays: 1,
      reportGeneratedTime: new Date(NOW.getTime() - MS_PER_DAY + 1000),
    };
    expect(newerThanReportIsFresh(oldReport)).toBe(false);
    expect(planPassword(liveUser(), row({ passwordEnabled: false }), oldReport)).toEqual({ kind: 'confirm' });
  });
});

describe('newerThanReportIsFresh', () => {
  it('allows the snapshot margin before GeneratedTime', () => {
    const edge = new Date(NOW.getTime() - MS_PER_DAY + REPORT_SNAPSHOT_MARGIN_MS + 2000);
    expect(newerThanReportIsFresh({ now: NOW, maxAgeDays: 1, reportGeneratedTime: edge })).toBe(true);
    const over = new Date(edge.getTime() - 2000);
    expect(newerThanReportIsFresh({ now: NOW, maxAgeDays: 1, reportGeneratedTime: over })).toBe(false);
  });
});

describe('planKeys', () => {
  it('proves keys when every slot is fresh by last use or, never used, by creation', () => {
    const plan = planKeys(
      liveUser(),
      row({
        accessKeys: [
          slot(1, { lastRotated: daysAgo(500), lastUsedDate: daysAgo(1) }),
          slot(2, { active: false, lastRotated: daysAgo(10), lastUsedDate: null }),
        ],
      }),
      ctx,
    );
    expect(plan).toEqual({
      kind: 'proven',
      accessKeys: [
        {
          accessKeyId: reportSlotKeyId(1),
          status: 'Active',
          createDate: daysAgo(500),
          lastUsedDate: daysAgo(1),
        },
        { accessKeyId: reportSlotKeyId(2), status: 'Inactive', createDate: daysAgo(10), lastUsedDate: null },
      ],
    });
  });

  it('proves a user without keys in the report (keys created since are fresh)', () => {
    expect(planKeys(liveUser(), row(), ctx)).toEqual({ kind: 'proven', accessKeys: [] });
  });

  it('confirms when any slot is stale, inactive ones included (it may have been reactivated)', () => {
    const stale = slot(2, { active: false, lastRotated: daysAgo(400), lastUsedDate: daysAgo(95) });
    const fresh = slot(1, { lastRotated: daysAgo(400), lastUsedDate: daysAgo(1) });
    expect(planKeys(liveUser(), row({ accessKeys: [fresh, stale] }), ctx)).toEqual({ kind: 'confirm' });
  });

  it('confirms a never-used key created at the limit and a slot marked active without a date', () => {
    const neverUsed = slot(1, { lastRotated: daysAgo(90), lastUsedDate: null });
    expect(planKeys(liveUser(), row({ accessKeys: [neverUsed, EMPTY_SLOT(2)] }), ctx)).toEqual({
      kind: 'confirm',
    });
    const odd = slot(1, { lastRotated: null });
    expect(planKeys(liveUser(), row({ accessKeys: [odd, EMPTY_SLOT(2)] }), ctx)).toEqual({ kind: 'confirm' });
  });

  it('takes report dates one second early: a last use just inside the limit is not trusted', () => {
    const edge = slot(1, { lastRotated: daysAgo(400), lastUsedDate: new Date(daysAgo(90).getTime() + 500) });
    expect(planKeys(liveUser(), row({ accessKeys: [edge, EMPTY_SLOT(2)] }), ctx)).toEqual({
      kind: 'confirm',
    });
    const inside = slot(1, {
      lastRotated: daysAgo(400),
      lastUsedDate: new Date(daysAgo(90).getTime() + 1500),
    });
    expect(planKeys(liveUser(), row({ accessKeys: [inside, EMPTY_SLOT(2)] }), ctx).kind).toBe('proven');
  });

  it('confirms keys when the report is too old to vouch for keys created since', () => {
    const oldReport = { now: NOW, maxAgeDays: 1, reportGeneratedTime: daysAgo(0.99) };
    const fresh = slot(1, { lastRotated: daysAgo(400), lastUsedDate: daysAgo(0.1) });
    expect(planKeys(liveUser(), row({ accessKeys: [fresh, EMPTY_SLOT(2)] }), oldReport)).toEqual({
      kind: 'confirm',
    });
  });
});

describe('proveLiveKey', () => {
  const key = (createDate: Date): LiveAccessKey => ({
    accessKeyId: 'AKIA0000000000000001',
    status: 'Active',
    createDate,
  });

  it('matches a live key to a slot by CreateDate whatever the slot order, and proves it when fresh', () => {
    const r = row({
      accessKeys: [
        slot(1, { lastRotated: new Date('2024-01-01T00:00:00Z'), lastUsedDate: daysAgo(200) }),
        slot(2, { lastRotated: new Date('2024-02-01T00:00:00Z'), lastUsedDate: daysAgo(2) }),
      ],
    });
    expect(proveLiveKey(key(new Date('2024-02-01T00:00:00.400Z')), r, ctx)).toEqual({
      proven: true,
      lastUsedDate: daysAgo(2),
    });
    expect(proveLiveKey(key(new Date('2024-01-01T00:00:00Z')), r, ctx)).toEqual({ proven: false });
  });

  it('does not prove a key the report does not know (created since) or a user without a row', () => {
    const r = row({
      accessKeys: [slot(1, { lastRotated: daysAgo(400), lastUsedDate: daysAgo(1) }), EMPTY_SLOT(2)],
    });
    expect(proveLiveKey(key(daysAgo(0.01)), r, ctx)).toEqual({ proven: false });
    expect(proveLiveKey(key(daysAgo(400)), undefined, ctx)).toEqual({ proven: false });
  });

  it('needs every slot created in the same second to prove the key', () => {
    const created = new Date('2024-03-01T00:00:00Z');
    const r = row({
      accessKeys: [
        slot(1, { lastRotated: created, lastUsedDate: daysAgo(1) }),
        slot(2, { lastRotated: created, lastUsedDate: daysAgo(300) }),
      ],
    });
    expect(proveLiveKey(key(created), r, ctx)).toEqual({ proven: false });
  });

  it('gives the report last use of an inactive key the report knows, else null', () => {
    const r = row({
      accessKeys: [
        slot(1, { active: false, lastRotated: daysAgo(400), lastUsedDate: daysAgo(300) }),
        EMPTY_SLOT(2),
      ],
    });
    expect(reportedLastUse({ ...key(daysAgo(400)), status: 'Inactive' }, r)).toEqual(daysAgo(300));
    expect(reportedLastUse({ ...key(daysAgo(3)), status: 'Inactive' }, r)).toBeNull();
  });
});
