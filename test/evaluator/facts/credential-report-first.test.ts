import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  IAMServiceException,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { decide, MS_PER_DAY, type UserFacts } from '../../../evaluator/decision';
import { DeadlineExceededError, IamReadError } from '../../../evaluator/errors';
import { ExclusionList } from '../../../evaluator/exclusions';
import {
  CredentialReportFirstSource,
  createCredentialReportFirstWithFallback,
} from '../../../evaluator/facts/credential-report-first';
import { createPerUserSource } from '../../../evaluator/facts/per-user';
import {
  CallCounter,
  type Deadline,
  type GatherContext,
  type UserFactsSource,
} from '../../../evaluator/facts/types';
import { serveIam } from '../../../scripts/simulation/aws-mock';
import {
  IamAccount,
  type ModelUser,
  type ReportRenderOptions,
  renderCredentialReport,
} from '../../../scripts/simulation/model';

const NOW = new Date('2025-06-01T12:00:00Z');
const MAX = 90;
const REPORT_TIME = new Date(NOW.getTime() - 3 * 60 * 60 * 1000);
const daysAgo = (days: number) => new Date(NOW.getTime() - days * MS_PER_DAY);
const sinceReport = (fraction: number) =>
  new Date(REPORT_TIME.getTime() + fraction * (NOW.getTime() - REPORT_TIME.getTime()));

let seq = 0;
function user(name: string, fields: Partial<ModelUser> = {}): ModelUser {
  seq += 1;
  return {
    name,
    id: `AIDA${String(seq).padStart(17, '0')}`,
    // A second apart: report rows sharing a creation second are not used for proofs.
    createDate: new Date(daysAgo(1000).getTime() + seq * 1000),
    passwordLastUsed: null,
    loginProfile: null,
    passwordLastChanged: null,
    keys: [],
    ...fields,
  };
}

function key(
  id: number,
  createdDaysAgo: number,
  lastUsedDaysAgo: number | null,
  status: 'Active' | 'Inactive' = 'Active',
) {
  return {
    id: `AKIA${String(id).padStart(16, '0')}`,
    status,
    createDate: daysAgo(createdDaysAgo),
    lastUsed: lastUsedDaysAgo === null ? null : daysAgo(lastUsedDaysAgo),
  };
}

const quiet = {
  lines: [] as string[],
  write(line: string) {
    this.lines.push(line);
  },
};

function logger() {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

const noDeadline: Deadline = { check: () => undefined, remainingMs: () => 900_000 };

function context(deadline: Deadline = noDeadline): GatherContext {
  return { now: NOW, maxAgeDays: MAX, deadline, iamCalls: new CallCounter() };
}

async function gatherAll(source: UserFactsSource, ctx: GatherContext): Promise<UserFacts[]> {
  const out: UserFacts[] = [];
  for await (const facts of source.gather(ctx)) out.push(facts);
  return out;
}

function verdicts(facts: readonly UserFacts[]) {
  const policy = { maxAgeDays: MAX, exclusions: ExclusionList.EMPTY };
  return Object.fromEntries(
    facts.map((f) => {
      const v = decide(f, policy, NOW);
      return [
        f.userName,
        `${v.compliance}${v.revoke.password ? ' password' : ''}${v.revoke.accessKeyIds.map((k) => ` ${k}`).join('')}`,
      ];
    }),
  );
}

/**
 * Serves `live` with a report rendered from `atReport`, runs report-first (falling back to the
 * per-user source) and per-user, and returns both results with the calls each made.
 */
async function scenario(atReport: IamAccount, live: IamAccount, options: ReportRenderOptions = {}) {
  const report = { csv: renderCredentialReport(atReport, options), generatedTime: REPORT_TIME };
  const served = serveIam(live, { report });
  const log = logger();
  const source = new CredentialReportFirstSource({
    iam: served.client,
    logger: log,
    fallback: createPerUserSource({ iam: served.client, logger: log }),
    report: { sleep: async () => undefined },
  });
  const ctx = context();
  const facts = await gatherAll(source, ctx);
  const perUserServed = serveIam(live, { report });
  const perUserCtx = context();
  const perUserFacts = await gatherAll(
    createPerUserSource({ iam: perUserServed.client, logger: log }),
    perUserCtx,
  );
  return {
    facts,
    verdicts: verdicts(facts),
    perUser: verdicts(perUserFacts),
    calls: ctx.iamCalls.snapshot(),
    stats: source.lastRun,
    served,
    log,
  };
}

const REPORT_CALLS = { GenerateCredentialReport: 1, GetCredentialReport: 1, ListUsers: 1 };

describe('CredentialReportFirstSource', () => {
  it('makes no live call for credentials the report proves fresh', async () => {
    const account = new IamAccount([
      user('svc', { keys: [key(1, 500, 2), key(2, 30, null, 'Inactive')] }),
      user('console', { loginProfile: { createDate: daysAgo(700) }, passwordLastUsed: daysAgo(10) }),
      user('nothing'),
    ]);
    const r = await scenario(account.clone(), account);
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
    const account = new IamAccount([user('svc', { keys: [key(1, 500, 120)] })]);
    const r = await scenario(account.clone(), account);
    expect(r.calls).toEqual({ ...REPORT_CALLS, ListAccessKeys: 1, GetAccessKeyLastUsed: 1 });
    expect(r.verdicts).toEqual({ svc: 'NON_COMPLIANT AKIA0000000000000001' });
    expect(r.verdicts).toEqual(r.perUser);
  });

  it('confirms a key the report shows stale: used since the report ⇒ COMPLIANT', async () => {
    const live = new IamAccount([user('svc', { keys: [key(1, 500, 120)] })]);
    const atReport = live.clone();
    const k = live.users[0]?.keys[0];
    if (k) k.lastUsed = sinceReport(0.5);
    const r = await scenario(atReport, live);
    expect(r.verdicts).toEqual({ svc: 'COMPLIANT' });
    expect(r.verdicts).toEqual(r.perUser);
  });

  it('confirms never-used credentials: an old unused key and a login profile never used', async () => {
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
    const r = await scenario(account.clone(), account);
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
    const r = await scenario(atReport, live);
    expect(r.verdicts).toEqual({ 'rotated-fresh': 'COMPLIANT', 'rotated-stale': 'COMPLIANT' });
    expect(r.verdicts).toEqual(r.perUser);
    // rotated-fresh: all report slots fresh ⇒ no call; rotated-stale: one ListAccessKeys, the new key is unknown.
    expect(r.calls).toEqual({ ...REPORT_CALLS, ListAccessKeys: 1, GetAccessKeyLastUsed: 1 });
  });

  it('does not trust slot order: the same verdicts with the slots reversed', async () => {
    const account = new IamAccount([
      user('two-keys', { keys: [key(1, 400, 150), key(2, 300, 1)] }),
      user('two-keys-b', { keys: [key(3, 400, 1), key(4, 300, 150)] }),
    ]);
    const r = await scenario(account.clone(), account, { slotOrder: 'reversed' });
    expect(r.verdicts).toEqual({
      'two-keys': 'NON_COMPLIANT AKIA0000000000000001',
      'two-keys-b': 'NON_COMPLIANT AKIA0000000000000004',
    });
    expect(r.verdicts).toEqual(r.perUser);
  });

  it('catches an old inactive key reactivated since the report', async () => {
    const live = new IamAccount([user('reactivated', { keys: [key(1, 400, 300, 'Inactive')] })]);
    const atReport = live.clone();
    const k = live.users[0]?.keys[0];
    if (k) k.status = 'Active';
    const r = await scenario(atReport, live);
    expect(r.verdicts).toEqual({ reactivated: 'NON_COMPLIANT AKIA0000000000000001' });
    expect(r.verdicts).toEqual(r.perUser);
  });

  it('reads users created since the report fully live, also one re-created under a deleted name', async () => {
    const atReport = new IamAccount([user('gone', { keys: [key(1, 500, 1)] }), user('stays')]);
    const live = new IamAccount([
      atReport.users[1] as ModelUser,
      user('gone', { createDate: sinceReport(0.2), keys: [key(2, 0.01, null)] }),
      user('brand-new', { createDate: sinceReport(0.1), loginProfile: { createDate: sinceReport(0.2) } }),
    ]);
    const r = await scenario(atReport, live);
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
    const atReport = new IamAccount([user('deleted', { keys: [key(1, 500, 300)] }), user('kept')]);
    const live = atReport.clone();
    live.remove('deleted');
    const r = await scenario(atReport, live);
    expect(r.verdicts).toEqual({ kept: 'COMPLIANT' });
    expect(r.calls).toEqual(REPORT_CALLS);
  });

  it('confirms a login profile created since the report when PasswordLastUsed (older password) is old', async () => {
    const atReport = new IamAccount([
      user('old-password-back', { passwordLastUsed: daysAgo(200) }),
      user('new-password', {}),
    ]);
    const live = atReport.clone();
    for (const u of live.users) u.loginProfile = { createDate: sinceReport(0.5) };
    const r = await scenario(atReport, live);
    // The runbook measures from PasswordLastUsed when set: 200 days.
    expect(r.verdicts).toEqual({
      'old-password-back': 'NON_COMPLIANT password',
      'new-password': 'COMPLIANT',
    });
    expect(r.verdicts).toEqual(r.perUser);
    expect(r.calls).toEqual({ ...REPORT_CALLS, GetLoginProfile: 1 });
  });

  it('confirms a stale password whose login profile remediation deleted since the report', async () => {
    const atReport = new IamAccount([
      user('remediated', { loginProfile: { createDate: daysAgo(500) }, passwordLastUsed: daysAgo(120) }),
    ]);
    const live = atReport.clone();
    (live.users[0] as ModelUser).loginProfile = null;
    const r = await scenario(atReport, live);
    expect(r.verdicts).toEqual({ remediated: 'COMPLIANT' });
    expect(r.verdicts).toEqual(r.perUser);
    // GetLoginProfile's NoSuchEntity could also mean "no user": one ListAccessKeys settles it.
    expect(r.calls).toEqual({ ...REPORT_CALLS, GetLoginProfile: 1, ListAccessKeys: 1 });
    expect(r.stats).toMatchObject({ userExistenceChecks: 1, usersDeletedDuringRun: 0 });
  });

  it('skips a user deleted before GetLoginProfile although the report proved its keys', async () => {
    // Prepare: the keys are fresh in the report; only the stale password needs a live read, and
    // the user is deleted between ListUsers and that read.
    const account = new IamAccount([
      user('gone', {
        passwordLastUsed: daysAgo(200),
        loginProfile: { createDate: daysAgo(300) },
        keys: [key(1, 300, 1)],
      }),
      user('kept'),
    ]);
    const served = serveIam(account, {
      report: { csv: renderCredentialReport(account.clone()), generatedTime: REPORT_TIME },
    });
    served.stub.on(GetLoginProfileCommand).callsFake(() => {
      if (account.user('gone')) account.remove('gone');
      throw Object.assign(new Error('The user with name gone cannot be found.'), {
        name: 'NoSuchEntityException',
      });
    });
    const log = logger();
    const source = new CredentialReportFirstSource({
      iam: served.client,
      logger: log,
      fallback: createPerUserSource({ iam: served.client, logger: log }),
    });
    const ctx = context();
    // Act
    const facts = await gatherAll(source, ctx);
    // Assess
    expect(facts.map((f) => f.userName)).toEqual(['kept']);
    expect(ctx.iamCalls.snapshot()).toEqual({ ...REPORT_CALLS, GetLoginProfile: 1, ListAccessKeys: 1 });
    expect(source.lastRun).toMatchObject({ usersDeletedDuringRun: 1, userExistenceChecks: 1, users: 1 });
  });

  it('does not match a renamed user to the row of a deleted user created in the same second', async () => {
    // Prepare: alice and bob were created in the same second. After the report bob is deleted and
    // alice renamed to bob (UpdateUser keeps UserId and CreateDate): the live "bob" is alice, whose
    // key the report shows used 200 days ago under her old row.
    const second = new Date('2024-01-01T00:00:00.100Z');
    const alice = user('alice', { createDate: second, keys: [key(1, 300, 200)] });
    const bob = user('bob', { createDate: new Date('2024-01-01T00:00:00.700Z'), keys: [key(2, 300, 1)] });
    const atReport = new IamAccount([alice, bob]);
    const live = new IamAccount([{ ...structuredClone(alice), name: 'bob' }]);
    // Act
    const r = await scenario(atReport, live);
    // Assess
    expect(r.verdicts).toEqual({ bob: 'NON_COMPLIANT AKIA0000000000000001' });
    expect(r.verdicts).toEqual(r.perUser);
    expect(r.facts.map((f) => f.userId)).toEqual([alice.id]);
    expect(r.stats).toMatchObject({ usersNotInReport: 1, reportRowsGone: 2 });
  });

  it('drops a key rotated away between ListAccessKeys and GetAccessKeyLastUsed and evaluates the user', async () => {
    // Prepare: the old key is stale in the report, so the keys are listed live; the rotation
    // deletes it right after.
    const account = new IamAccount([user('rotor', { keys: [key(1, 300, 200), key(2, 1, null)] })]);
    const served = serveIam(account, {
      report: { csv: renderCredentialReport(account.clone()), generatedTime: REPORT_TIME },
    });
    served.stub.on(GetAccessKeyLastUsedCommand).callsFake(() => {
      throw Object.assign(new Error('The Access Key with id AKIA0000000000000001 cannot be found.'), {
        name: 'NoSuchEntityException',
      });
    });
    const log = logger();
    const source = new CredentialReportFirstSource({
      iam: served.client,
      logger: log,
      fallback: createPerUserSource({ iam: served.client, logger: log }),
    });
    // Act
    const facts = await gatherAll(source, context());
    // Assess
    expect(verdicts(facts)).toEqual({ rotor: 'COMPLIANT' });
    expect(facts[0]?.accessKeys.map((k) => k.accessKeyId)).toEqual(['AKIA0000000000000002']);
    expect(source.lastRun).toMatchObject({ usersDeletedDuringRun: 0, users: 1 });
    expect(log.lines.some((l) => l.includes('"accessKeyId":"AKIA0000000000000001"'))).toBe(true);
  });

  it.each([
    ['the credential report', 'COMPLETE'],
    ['the per-user fallback', 'denied'],
  ] as const)('reports every listed UserId before yielding, when reading from %s', async (_, report) => {
    // Prepare
    const account = new IamAccount([user('a', { keys: [key(1, 500, 300)] }), user('b')]);
    const served = serveIam(account, {
      report: { csv: renderCredentialReport(account), generatedTime: REPORT_TIME },
    });
    if (report === 'denied') {
      served.stub
        .on(GenerateCredentialReportCommand)
        .rejects(
          new IAMServiceException({ name: 'AccessDenied', message: 'no', $fault: 'client', $metadata: {} }),
        );
    }
    const source = new CredentialReportFirstSource({
      iam: served.client,
      logger: quiet,
      fallback: createPerUserSource({ iam: served.client, logger: quiet }),
    });
    const events: string[] = [];
    const ctx = {
      ...context(),
      usersListed: (ids: readonly string[]) => events.push(`listed ${ids.join(',')}`),
    };
    // Act
    for await (const f of source.gather(ctx)) events.push(`yielded ${f.userName}`);
    // Assess
    const ids = account.users.map((u) => u.id).join(',');
    expect(events).toEqual([`listed ${ids}`, 'yielded a', 'yielded b']);
    expect(source.lastRun?.source).toBe(report === 'denied' ? 'fallback' : 'credential-report');
  });

  it('skips a user deleted while it is being confirmed, as the per-user source does', async () => {
    const account = new IamAccount([user('vanishing', { keys: [key(1, 500, 300)] }), user('kept')]);
    const atReport = account.clone();
    const report = { csv: renderCredentialReport(atReport), generatedTime: REPORT_TIME };
    const served = serveIam(account, { report });
    account.remove('vanishing'); // after ListUsers would have listed it: ListAccessKeys answers NoSuchEntity
    served.stub.on(ListUsersCommand).resolves({
      Users: atReport.users.map((u) => ({
        UserName: u.name,
        UserId: u.id,
        Path: '/',
        Arn: `arn:aws:iam::111111111111:user/${u.name}`,
        CreateDate: u.createDate,
      })),
      IsTruncated: false,
    });
    const log = logger();
    const source = new CredentialReportFirstSource({
      iam: served.client,
      logger: log,
      fallback: createPerUserSource({ iam: served.client, logger: log }),
    });
    const facts = await gatherAll(source, context());
    expect(facts.map((f) => f.userName)).toEqual(['kept']);
    expect(source.lastRun).toMatchObject({ usersDeletedDuringRun: 1, users: 1 });
    expect(log.lines.some((l) => l.includes('user deleted during the run'))).toBe(true);
  });

  it('fails the run when a confirmation cannot be read, yielding nothing guessed', async () => {
    const account = new IamAccount([user('svc', { keys: [key(1, 500, 300)] })]);
    const served = serveIam(account, {
      report: { csv: renderCredentialReport(account), generatedTime: REPORT_TIME },
    });
    served.stub.on(GetAccessKeyLastUsedCommand).rejects(
      new IAMServiceException({
        name: 'Throttling',
        message: 'Rate exceeded',
        $fault: 'client',
        $metadata: {},
      }),
    );
    const source = new CredentialReportFirstSource({
      iam: served.client,
      logger: quiet,
      fallback: createPerUserSource({ iam: served.client, logger: quiet }),
    });
    const yielded: UserFacts[] = [];
    const run = async () => {
      for await (const f of source.gather(context())) yielded.push(f);
    };
    await expect(run()).rejects.toThrow(IamReadError);
    await expect(run()).rejects.toThrow(
      /GetAccessKeyLastUsed failed for key AKIA0000000000000001 of user svc .*Throttling: Rate exceeded/,
    );
    expect(yielded).toEqual([]);
  });

  it('falls back to the per-user source when the report is denied, and logs why', async () => {
    const account = new IamAccount([
      user('svc', { keys: [key(1, 500, 300)] }),
      user('ok', { keys: [key(2, 500, 1)] }),
    ]);
    const served = serveIam(account, {
      report: { csv: renderCredentialReport(account), generatedTime: REPORT_TIME },
    });
    served.stub.on(GenerateCredentialReportCommand).rejects(
      new IAMServiceException({
        name: 'AccessDenied',
        message: 'not allowed',
        $fault: 'client',
        $metadata: {},
      }),
    );
    const log = logger();
    const source = new CredentialReportFirstSource({
      iam: served.client,
      logger: log,
      fallback: createPerUserSource({ iam: served.client, logger: log }),
    });
    const ctx = context();
    const facts = await gatherAll(source, ctx);
    expect(verdicts(facts)).toEqual({ svc: 'NON_COMPLIANT AKIA0000000000000001', ok: 'COMPLIANT' });
    expect(ctx.iamCalls.snapshot()).toEqual({
      GenerateCredentialReport: 1,
      ListUsers: 1,
      GetLoginProfile: 2,
      ListAccessKeys: 2,
      GetAccessKeyLastUsed: 2,
    });
    expect(source.lastRun).toMatchObject({ source: 'fallback', users: 2 });
    expect(source.lastRun?.fallbackReason).toMatch(/GenerateCredentialReport was denied/);
    const warning = log.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.level === 'WARN');
    expect(warning).toMatchObject({
      message: 'credential report unavailable; falling back to per-user live reads',
      fallbackStrategy: 'per-user',
      errorName: 'CredentialReportUnavailableError',
    });
  });

  it('stops at the deadline guard before confirming, without falling back', async () => {
    const account = new IamAccount([
      user('fresh', { keys: [key(1, 500, 1)] }),
      user('stale', { keys: [key(2, 500, 300)] }),
    ]);
    const served = serveIam(account, {
      report: { csv: renderCredentialReport(account), generatedTime: REPORT_TIME },
    });
    const guard: Deadline = {
      remainingMs: () => 900_000,
      check: (what) => {
        if (what.startsWith('confirming')) throw new DeadlineExceededError(`Stopped before ${what}`);
      },
    };
    const source = new CredentialReportFirstSource({
      iam: served.client,
      logger: quiet,
      fallback: createPerUserSource({ iam: served.client, logger: quiet }),
    });
    const ctx = context(guard);
    await expect(gatherAll(source, ctx)).rejects.toThrow(
      'Stopped before confirming the credentials of user stale',
    );
    expect(ctx.iamCalls.snapshot()).toEqual(REPORT_CALLS);
  });

  it('rejects a concurrency below 1', () => {
    const served = serveIam(new IamAccount());
    expect(
      () =>
        new CredentialReportFirstSource({
          iam: served.client,
          fallback: createPerUserSource({ iam: served.client, logger: quiet }),
          concurrency: 0,
        }),
    ).toThrow(/concurrency must be an integer >= 1, got 0/);
  });

  it('createCredentialReportFirstWithFallback wires the per-user source as the fallback (the Lambda default)', async () => {
    const account = new IamAccount([user('svc', { keys: [key(1, 500, 300)] })]);
    const served = serveIam(account);
    served.stub
      .on(GenerateCredentialReportCommand)
      .rejects(
        new IAMServiceException({ name: 'AccessDenied', message: 'no', $fault: 'client', $metadata: {} }),
      );
    const source = createCredentialReportFirstWithFallback({ iam: served.client, logger: quiet });
    expect(source.strategy).toBe('report-first');
    const ctx = context();
    expect(verdicts(await gatherAll(source, ctx))).toEqual({ svc: 'NON_COMPLIANT AKIA0000000000000001' });
    expect(source.lastRun?.source).toBe('fallback');
    expect(ctx.iamCalls.snapshot()).toMatchObject({ ListAccessKeys: 1, GetLoginProfile: 1 });
  });
});
