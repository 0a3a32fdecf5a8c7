import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { UserFacts } from '../../../evaluator/decision';
import { DeadlineExceededError, IamReadError } from '../../../evaluator/errors';
import {
  CredentialReportFirstSource,
  createCredentialReportFirstWithFallback,
} from '../../../evaluator/facts/credential-report-first';
import { createPerUserSource } from '../../../evaluator/facts/per-user';
import type { Deadline } from '../../../evaluator/facts/types';
import { serveIam } from '../../../scripts/simulation/aws-mock';
import { IamAccount } from '../../../scripts/simulation/model';
import {
  context,
  daysAgo,
  gatherAll,
  iamException,
  key,
  logger,
  quiet,
  REPORT_CALLS,
  reportFirstOn,
  scenario,
  serveWithReport,
  user,
  verdicts,
} from './credential-report-first-fixtures';

describe('CredentialReportFirstSource (live confirmation)', () => {
  it('skips a user deleted before GetLoginProfile although the report proved its keys', async () => {
    // Given: the keys are fresh in the report; only the stale password needs a live read, and
    // the user is deleted between ListUsers and that read.
    const account = new IamAccount([
      user('gone', {
        passwordLastUsed: daysAgo(200),
        loginProfile: { createDate: daysAgo(300) },
        keys: [key(1, 300, 1)],
      }),
      user('kept'),
    ]);
    const served = serveWithReport(account);
    served.stub.on(GetLoginProfileCommand).callsFake(() => {
      if (account.user('gone')) account.remove('gone');
      throw Object.assign(new Error('The user with name gone cannot be found.'), {
        name: 'NoSuchEntityException',
      });
    });
    const log = logger();
    const source = reportFirstOn(served, log);
    const ctx = context();
    // When
    const facts = await gatherAll(source, ctx);
    // Then
    expect(facts.map((f) => f.userName)).toEqual(['kept']);
    expect(ctx.iamCalls.snapshot()).toEqual({ ...REPORT_CALLS, GetLoginProfile: 1, ListAccessKeys: 1 });
    expect(source.lastRun).toMatchObject({ usersDeletedDuringRun: 1, userExistenceChecks: 1, users: 1 });
  });

  it('does not match a renamed user to the row of a deleted user created in the same second', async () => {
    // Given: alice and bob were created in the same second. After the report bob is deleted and
    // alice renamed to bob (UpdateUser keeps UserId and CreateDate): the live "bob" is alice, whose
    // key the report shows used 200 days ago under her old row.
    const second = new Date('2024-01-01T00:00:00.100Z');
    const alice = user('alice', { createDate: second, keys: [key(1, 300, 200)] });
    const bob = user('bob', { createDate: new Date('2024-01-01T00:00:00.700Z'), keys: [key(2, 300, 1)] });
    const atReport = new IamAccount([alice, bob]);
    const live = new IamAccount([{ ...structuredClone(alice), name: 'bob' }]);
    // When
    const r = await scenario(atReport, live);
    // Then
    expect(r.verdicts).toEqual({ bob: 'NON_COMPLIANT AKIA0000000000000001' });
    expect(r.verdicts).toEqual(r.perUser);
    expect(r.facts.map((f) => f.userId)).toEqual([alice.id]);
    // credential-report-proof.ts (8): "bob" is proven against both rows of its second; alice's
    // stale slot leaves the key to a live read (before (8): no row, usersNotInReport 1, reportRowsGone 2).
    expect(r.stats).toMatchObject({ usersNotInReport: 0, reportRowsGone: 1, keysConfirmedLive: 1 });
  });

  it('drops a key rotated away between ListAccessKeys and GetAccessKeyLastUsed and evaluates the user', async () => {
    // Given: the old key is stale in the report, so the keys are listed live; the rotation
    // deletes it right after.
    const account = new IamAccount([user('rotor', { keys: [key(1, 300, 200), key(2, 1, null)] })]);
    const served = serveWithReport(account);
    served.stub.on(GetAccessKeyLastUsedCommand).callsFake(() => {
      throw Object.assign(new Error('The Access Key with id AKIA0000000000000001 cannot be found.'), {
        name: 'NoSuchEntityException',
      });
    });
    const log = logger();
    const source = reportFirstOn(served, log);
    // When
    const facts = await gatherAll(source, context());
    // Then
    expect(verdicts(facts)).toEqual({ rotor: 'COMPLIANT' });
    expect(facts[0]?.accessKeys.map((k) => k.accessKeyId)).toEqual(['AKIA0000000000000002']);
    expect(source.lastRun).toMatchObject({ usersDeletedDuringRun: 0, users: 1 });
    expect(log.lines.some((l) => l.includes('"accessKeyId":"AKIA0000000000000001"'))).toBe(true);
  });

  it.each([
    ['the credential report', 'COMPLETE'],
    ['the per-user fallback', 'denied'],
  ] as const)('reports every listed UserId before yielding, when reading from %s', async (_, report) => {
    // Given
    const account = new IamAccount([user('a', { keys: [key(1, 500, 300)] }), user('b')]);
    const served = serveWithReport(account);
    if (report === 'denied') {
      served.stub.on(GenerateCredentialReportCommand).rejects(iamException('AccessDenied', 'no'));
    }
    const source = reportFirstOn(served);
    const events: string[] = [];
    const ctx = {
      ...context(),
      usersListed: (ids: readonly string[]) => events.push(`listed ${ids.join(',')}`),
    };
    // When
    for await (const f of source.gather(ctx)) events.push(`yielded ${f.userName}`);
    // Then
    const ids = account.users.map((u) => u.id).join(',');
    expect(events).toEqual([`listed ${ids}`, 'yielded a', 'yielded b']);
    expect(source.lastRun?.source).toBe(report === 'denied' ? 'fallback' : 'credential-report');
  });

  it('skips a user deleted while it is being confirmed, as the per-user source does', async () => {
    // Given
    const account = new IamAccount([user('vanishing', { keys: [key(1, 500, 300)] }), user('kept')]);
    const atReport = account.clone();
    const served = serveWithReport(account, atReport);
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
    const source = reportFirstOn(served, log);
    // When
    const facts = await gatherAll(source, context());
    // Then
    expect(facts.map((f) => f.userName)).toEqual(['kept']);
    expect(source.lastRun).toMatchObject({ usersDeletedDuringRun: 1, users: 1 });
    expect(log.lines.some((l) => l.includes('user deleted during the run'))).toBe(true);
  });

  it('fails the run when a confirmation cannot be read, yielding nothing guessed', async () => {
    // Given
    const account = new IamAccount([user('svc', { keys: [key(1, 500, 300)] })]);
    const served = serveWithReport(account);
    served.stub.on(GetAccessKeyLastUsedCommand).rejects(iamException('Throttling', 'Rate exceeded'));
    const source = reportFirstOn(served);
    const yielded: UserFacts[] = [];
    const run = async () => {
      for await (const f of source.gather(context())) yielded.push(f);
    };
    // When / Then
    await expect(run()).rejects.toThrow(IamReadError);
    await expect(run()).rejects.toThrow(
      /GetAccessKeyLastUsed failed for key AKIA0000000000000001 of user svc .*Throttling: Rate exceeded/,
    );
    expect(yielded).toEqual([]);
  });

  it('falls back to the per-user source when the report is denied, and logs why', async () => {
    // Given
    const account = new IamAccount([
      user('svc', { keys: [key(1, 500, 300)] }),
      user('ok', { keys: [key(2, 500, 1)] }),
    ]);
    const served = serveWithReport(account);
    served.stub.on(GenerateCredentialReportCommand).rejects(iamException('AccessDenied', 'not allowed'));
    const log = logger();
    const source = reportFirstOn(served, log);
    const ctx = context();
    // When
    const facts = await gatherAll(source, ctx);
    // Then
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
    // Given
    const account = new IamAccount([
      user('fresh', { keys: [key(1, 500, 1)] }),
      user('stale', { keys: [key(2, 500, 300)] }),
    ]);
    const served = serveWithReport(account);
    const guard: Deadline = {
      remainingMs: () => 900_000,
      check: (what) => {
        if (what.startsWith('confirming')) throw new DeadlineExceededError(`Stopped before ${what}`);
      },
    };
    const source = reportFirstOn(served);
    const ctx = context(guard);
    // When / Then
    await expect(gatherAll(source, ctx)).rejects.toThrow(
      'Stopped before confirming the credentials of user stale',
    );
    expect(ctx.iamCalls.snapshot()).toEqual(REPORT_CALLS);
  });

  it('rejects a concurrency below 1', () => {
    // Given
    const served = serveIam(new IamAccount());
    // When / Then
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
    // Given
    const account = new IamAccount([user('svc', { keys: [key(1, 500, 300)] })]);
    const served = serveIam(account);
    served.stub.on(GenerateCredentialReportCommand).rejects(iamException('AccessDenied', 'no'));
    const source = createCredentialReportFirstWithFallback({ iam: served.client, logger: quiet });
    // When / Then
    expect(source.strategy).toBe('report-first');
    const ctx = context();
    expect(verdicts(await gatherAll(source, ctx))).toEqual({ svc: 'NON_COMPLIANT AKIA0000000000000001' });
    expect(source.lastRun?.source).toBe('fallback');
    expect(ctx.iamCalls.snapshot()).toMatchObject({ ListAccessKeys: 1, GetLoginProfile: 1 });
  });
});
