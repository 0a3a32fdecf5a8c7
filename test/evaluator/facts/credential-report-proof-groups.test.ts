import { describe, expect, it } from 'vitest';
import type { CredentialReportAccessKey, CredentialReportUser } from '../../../evaluator/credential-report';
import { decide, MS_PER_DAY, type UserFacts } from '../../../evaluator/decision';
import { ExclusionList } from '../../../evaluator/exclusions';
import { CredentialReportFirstSource } from '../../../evaluator/facts/credential-report-first';
import {
  indexSharedSeconds,
  matchSharedSecondRow,
  planKeys,
  planPassword,
  proveLiveKey,
} from '../../../evaluator/facts/credential-report-proof';
import type { LiveUser } from '../../../evaluator/facts/iam-live';
import { createPerUserSource } from '../../../evaluator/facts/per-user';
import { CallCounter, type UserFactsSource } from '../../../evaluator/facts/types';
import { serveIam } from '../../../scripts/simulation/aws-mock';
import { IamAccount, type ModelUser, renderCredentialReport } from '../../../scripts/simulation/model';

/** credential-report-proof.ts (8): rows sharing a creation second, proven against every row of the group. */

const NOW = new Date('2025-06-01T12:00:00Z');
const MAX = 90;
const REPORT_TIME = new Date(NOW.getTime() - 3 * 60 * 60 * 1000);
const ctx = { now: NOW, maxAgeDays: MAX, reportGeneratedTime: REPORT_TIME };
const daysAgo = (days: number) => new Date(NOW.getTime() - days * MS_PER_DAY);
/** Every user of a bulk group was created in this second (at different milliseconds). */
const BULK = new Date('2022-03-04T05:06:07.000Z');
const inBulkSecond = (ms: number) => new Date(BULK.getTime() + ms);

const EMPTY: CredentialReportAccessKey = {
  slot: 2,
  active: false,
  lastRotated: null,
  lastUsedDate: null,
  lastUsedRegion: null,
  lastUsedService: null,
};

function slot(lastRotatedDaysAgo: number, lastUsedDaysAgo: number | null): CredentialReportAccessKey {
  return {
    ...EMPTY,
    slot: 1,
    active: true,
    lastRotated: daysAgo(lastRotatedDaysAgo),
    lastUsedDate: lastUsedDaysAgo === null ? null : daysAgo(lastUsedDaysAgo),
  };
}

function row(user: string, fields: Partial<CredentialReportUser> = {}): CredentialReportUser {
  return {
    line: 2,
    user,
    arn: `arn:aws:iam::111111111111:user/${user}`,
    userCreationTime: BULK,
    passwordEnabled: false,
    passwordLastUsed: null,
    passwordLastUsedRaw: 'N/A',
    passwordLastChanged: null,
    mfaActive: false,
    accessKeys: [slot(400, 3), EMPTY],
    ...fields,
  };
}

function live(userName: string, fields: Partial<LiveUser> = {}): LiveUser {
  return {
    userName,
    userId: `AIDA${userName.toUpperCase().padEnd(17, '0')}`,
    createDate: inBulkSecond(250),
    passwordLastUsed: null,
    ...fields,
  };
}

describe('indexSharedSeconds', () => {
  it('groups only the rows whose creation second another row shares', () => {
    const lone = row('lone', { userCreationTime: new Date('2022-03-04T05:06:08Z') });
    const groups = indexSharedSeconds([row('a'), lone, row('b'), row('c')]);
    expect([...groups.values()].map((g) => g.map((r) => r.user))).toEqual([['a', 'b', 'c']]);
  });
});

describe('matchSharedSecondRow', () => {
  it('proves a user of a group whose every row is fresh, with its named row as facts', () => {
    // Prepare
    const groups = indexSharedSeconds([row('a'), row('b', { accessKeys: [slot(300, 10), slot(20, null)] })]);
    // Act
    const matched = matchSharedSecondRow(live('a'), groups, ctx);
    // Assess
    expect(matched?.user).toBe('a');
    expect(matched && planPassword(live('a'), matched, ctx)).toEqual({ kind: 'proven', loginProfile: null });
    expect(matched && planKeys(live('a'), matched, ctx)).toMatchObject({ kind: 'proven' });
    expect(matched?.accessKeys).toEqual([slot(400, 3), EMPTY]);
  });

  it('leaves the keys to live reads when any row of the group has a stale slot, even another user’s', () => {
    // Prepare: b's key is stale; a's own key is fresh.
    const groups = indexSharedSeconds([row('a'), row('b', { accessKeys: [slot(500, 200), EMPTY] })]);
    // Act
    const matched = matchSharedSecondRow(live('a'), groups, ctx);
    // Assess
    expect(matched && planKeys(live('a'), matched, ctx)).toEqual({ kind: 'confirm' });
    // A live key is proven only by a fresh slot of its creation second, whichever row holds it.
    const ownKey = { accessKeyId: 'AKIAOWN', status: 'Active' as const, createDate: daysAgo(400) };
    const staleSecond = { accessKeyId: 'AKIAB', status: 'Active' as const, createDate: daysAgo(500) };
    expect(matched && proveLiveKey(ownKey, matched, ctx)).toMatchObject({ proven: true });
    expect(matched && proveLiveKey(staleSecond, matched, ctx)).toEqual({ proven: false });
  });

  it('confirms the password of a user without a live PasswordLastUsed when any row had a password', () => {
    // Prepare: a is a service user; b, created in the same second, had a console password.
    const groups = indexSharedSeconds([row('a'), row('b', { passwordEnabled: true })]);
    // Act
    const matched = matchSharedSecondRow(live('a'), groups, ctx);
    // Assess
    expect(matched && planPassword(live('a'), matched, ctx)).toEqual({ kind: 'confirm' });
    // A password used within the limit (live, ListUsers) is fresh whichever row is the user's.
    const used = live('a', { passwordLastUsed: daysAgo(5) });
    expect(matched && planPassword(used, matched, ctx)).toMatchObject({ kind: 'proven' });
  });

  it('does not count a sibling row that reports a password use while the user has no live PasswordLastUsed', () => {
    // Prepare: b used its password (the report says when); a has never used one (live ListUsers).
    const usedByB = row('b', { passwordEnabled: true, passwordLastUsed: daysAgo(200) });
    const neverUsedByB = row('b', { passwordEnabled: true });
    // Act / Assess: were b's row a's, a's PasswordLastUsed could not be absent now, unless its
    // profile was deleted since; any profile now is newer than the report (3).
    const matched = matchSharedSecondRow(live('a'), indexSharedSeconds([row('a'), usedByB]), ctx);
    expect(matched && planPassword(live('a'), matched, ctx)).toEqual({ kind: 'proven', loginProfile: null });
    // A sibling with a password never used could be a's row: confirm.
    const ambiguous = matchSharedSecondRow(live('a'), indexSharedSeconds([row('a'), neverUsedByB]), ctx);
    expect(ambiguous && planPassword(live('a'), ambiguous, ctx)).toEqual({ kind: 'confirm' });
    // With a report older than the limit, (3) proves nothing: confirm.
    const oldReport = { ...ctx, reportGeneratedTime: daysAgo(MAX) };
    const stale = matchSharedSecondRow(live('a'), indexSharedSeconds([row('a'), usedByB]), oldReport);
    expect(stale && planPassword(live('a'), stale, oldReport)).toEqual({ kind: 'confirm' });
  });

  it('uses no row for a user whose name matches no row of its second, or who shares no second', () => {
    const groups = indexSharedSeconds([row('a'), row('b')]);
    expect(matchSharedSecondRow(live('renamed'), groups, ctx)).toBeUndefined();
    expect(matchSharedSecondRow(live('a', { createDate: daysAgo(700) }), groups, ctx)).toBeUndefined();
  });
});

// Through the real report-first source against an in-memory account: same verdicts as per-user.

let seq = 0;
function user(name: string, fields: Partial<ModelUser> = {}): ModelUser {
  seq += 1;
  return {
    name,
    id: `AIDA${String(seq).padStart(17, '0')}`,
    createDate: inBulkSecond(seq),
    passwordLastUsed: null,
    loginProfile: null,
    passwordLastChanged: null,
    keys: [],
    ...fields,
  };
}

function key(id: number, createdDaysAgo: number, lastUsedDaysAgo: number | null) {
  return {
    id: `AKIA${String(id).padStart(16, '0')}`,
    status: 'Active' as const,
    createDate: daysAgo(createdDaysAgo),
    lastUsed: lastUsedDaysAgo === null ? null : daysAgo(lastUsedDaysAgo),
  };
}

const quiet = { write: () => undefined };

async function verdicts(source: UserFactsSource, calls: CallCounter) {
  const facts: UserFacts[] = [];
  for await (const f of source.gather({
    now: NOW,
    maxAgeDays: MAX,
    iamCalls: calls,
    deadline: { check: () => undefined, remainingMs: () => 900_000 },
  })) {
    facts.push(f);
  }
  const policy = { maxAgeDays: MAX, exclusions: ExclusionList.EMPTY };
  return Object.fromEntries(
    facts.map((f) => {
      const v = decide(f, policy, NOW);
      return [f.userName, [v.compliance, ...v.revoke.accessKeyIds].join(' ')];
    }),
  );
}

async function scenario(atReport: IamAccount, account: IamAccount) {
  const report = { csv: renderCredentialReport(atReport), generatedTime: REPORT_TIME };
  const served = serveIam(account, { report });
  const calls = new CallCounter();
  const source = new CredentialReportFirstSource({
    iam: served.client,
    logger: quiet,
    fallback: createPerUserSource({ iam: served.client, logger: quiet }),
  });
  const fromReport = await verdicts(source, calls);
  const perUserIam = serveIam(account, { report }).client;
  const perUser = await verdicts(createPerUserSource({ iam: perUserIam, logger: quiet }), new CallCounter());
  return { fromReport, perUser, calls: calls.snapshot(), stats: source.lastRun };
}

const REPORT_CALLS = { GenerateCredentialReport: 1, GetCredentialReport: 1, ListUsers: 1 };

describe('report-first with users created in one second', () => {
  it('reads nothing live for a bulk group whose every row proves fresh', async () => {
    // Prepare
    const users = Array.from({ length: 20 }, (_, i) => user(`bulk-${i}`, { keys: [key(i, 400, 2)] }));
    const account = new IamAccount(users);
    // Act
    const r = await scenario(account.clone(), account);
    // Assess
    expect(r.fromReport).toEqual(r.perUser);
    expect(Object.values(r.fromReport).every((v) => v === 'COMPLIANT')).toBe(true);
    expect(r.calls).toEqual(REPORT_CALLS);
    expect(r.stats).toMatchObject({ usersProvenFresh: 20, usersNotInReport: 0 });
  });

  it('keeps a renamed user live when its real row in the group is stale (names swapped since the report)', async () => {
    // Prepare: alice (stale key) and bob (fresh key) were created in one second; since the report
    // they swapped names, so the live "bob" is alice and her name matches bob's fresh row.
    const alice = user('alice', { keys: [key(100, 400, 200)] });
    const bob = user('bob', { keys: [key(101, 410, 1)] });
    const atReport = new IamAccount([alice, bob]);
    const account = new IamAccount([
      { ...structuredClone(alice), name: 'bob' },
      { ...structuredClone(bob), name: 'alice' },
    ]);
    // Act
    const r = await scenario(atReport, account);
    // Assess
    expect(r.fromReport).toEqual({ bob: 'NON_COMPLIANT AKIA0000000000000100', alice: 'COMPLIANT' });
    expect(r.fromReport).toEqual(r.perUser);
    // Both users' keys are listed; only alice's stale key needs its live last use.
    expect(r.calls).toMatchObject({ ListAccessKeys: 2, GetAccessKeyLastUsed: 1 });
  });

  it('still proves a renamed user of a group whose rows are all fresh, without live reads', async () => {
    // Prepare: as above, but both keys are fresh: whichever row is theirs, both users are fresh.
    const alice = user('alice', { keys: [key(200, 400, 5)] });
    const bob = user('bob', { keys: [key(201, 400, 1)] });
    const atReport = new IamAccount([alice, bob]);
    const account = new IamAccount([
      { ...structuredClone(alice), name: 'bob' },
      { ...structuredClone(bob), name: 'alice' },
    ]);
    // Act
    const r = await scenario(atReport, account);
    // Assess
    expect(r.fromReport).toEqual({ bob: 'COMPLIANT', alice: 'COMPLIANT' });
    expect(r.fromReport).toEqual(r.perUser);
    expect(r.calls).toEqual(REPORT_CALLS);
  });
});
