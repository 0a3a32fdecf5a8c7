import { PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { describe, expect, it } from 'vitest';
import { RECORDED_UNREADABLE_METRIC } from '../../evaluator/changed-evaluations';
import { decide, MS_PER_DAY } from '../../evaluator/decision';
import { ConfigReadError, PutEvaluationsError } from '../../evaluator/errors';
import { ExclusionList, NO_EXCLUSIONS_VALUE } from '../../evaluator/exclusions';
import type { UserFactsSource } from '../../evaluator/facts/types';
import { createHandler } from '../../evaluator/handler';
import { serveIam, serveSsm } from '../../scripts/simulation/aws-mock';
import { ConfigModel, serveConfigModel } from '../../scripts/simulation/config-model';
import { compareHeld } from '../../scripts/simulation/cost';
import { IamAccount, type ModelUser } from '../../scripts/simulation/model';
import { verdictKey } from '../../scripts/simulation/run';
import { collectingLogger, scheduledEvent } from './handler-fixtures';

/**
 * Write only what changed, run after run, against an in-memory Config (scripts/simulation):
 * after every run Config must hold exactly the verdict of every user.
 */

const START = new Date('2025-06-01T06:00:00Z');
const MAX = 90;
const day = (n: number) => new Date(START.getTime() + n * MS_PER_DAY);

function account(n: number): IamAccount {
  return new IamAccount(
    Array.from(
      { length: n },
      (_, i): ModelUser => ({
        name: `user-${i}`,
        id: `AIDA${String(i).padStart(17, '0')}`,
        createDate: day(-1000),
        passwordLastUsed: null,
        loginProfile: null,
        passwordLastChanged: null,
        // Every 10th user's key goes stale; the others are in daily use.
        keys: [
          {
            id: `AKIA${String(i).padStart(16, '0')}`,
            status: 'Active',
            createDate: day(-900),
            lastUsed: day(i % 10 === 0 ? -300 : 0),
          },
        ],
      }),
    ),
  );
}

/** Facts straight from the model: these tests are about what is put, not how facts are read. */
function modelSource(iam: IamAccount): () => UserFactsSource {
  return () => ({
    strategy: 'per-user',
    async *gather(context) {
      context.usersListed?.(iam.users.map((u) => u.id));
      yield* iam.facts();
    },
  });
}

function truth(iam: IamAccount, at: Date, exclusions = '') {
  const policy = { maxAgeDays: MAX, exclusions: ExclusionList.parse(exclusions) };
  return new Map(iam.facts().map((f) => [f.userId, verdictKey(decide(f, policy, at))]));
}

async function run(iam: IamAccount, model: ConfigModel, at: Date, exclusions?: string) {
  const config = serveConfigModel(model);
  const logger = collectingLogger();
  const handler = createHandler({
    iam: serveIam(iam).client,
    ssm: serveSsm(exclusions ?? NO_EXCLUSIONS_VALUE).client,
    config: config.client,
    factsSource: modelSource(iam),
    clock: () => at,
    logger,
  });
  const event = scheduledEvent({}, { notificationCreationTime: at.toISOString() });
  const putBefore = model.put.length;
  const summary = await handler(event, { getRemainingTimeInMillis: () => 900_000 }).catch((e: unknown) => e);
  return { summary, logger, config, put: model.put.slice(putBefore) };
}

function ok<T>(value: T | unknown): T {
  if (value instanceof Error) throw value;
  return value as T;
}

describe('evaluator handler: write only what changed (in-memory Config)', () => {
  it('10,000 users: a second run a day later puts <= 400, in few calls, and Config holds every verdict', async () => {
    // Prepare
    const iam = account(10_000);
    let now = day(0);
    const model = new ConfigModel(() => now);
    // Act: first run
    const first = await run(iam, model, now);
    // Assess
    expect(first.put).toHaveLength(10_000);
    expect(compareHeld(model, truth(iam, now))).toEqual([]);
    // Act: second run, a day later, nothing changed
    now = day(1);
    const second = await run(iam, model, now);
    // Assess
    const summary = ok<{ configCalls: { byOperation: Record<string, number> } }>(second.summary);
    const written = second.put.length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThanOrEqual(400);
    expect(summary.configCalls.byOperation.GetComplianceDetailsByConfigRule).toBeLessThanOrEqual(100 + 5);
    expect(summary.configCalls.byOperation.PutEvaluations).toBeLessThanOrEqual(5 + Math.ceil(written / 100));
    expect(compareHeld(model, truth(iam, now))).toEqual([]);
    // Act: a third run the same day puts nothing, in one empty PutEvaluations with the token.
    const third = await run(iam, model, new Date(now.getTime() + 3600_000));
    expect(third.put).toEqual([]);
    const puts = third.config.stub.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input);
    expect(puts).toEqual([
      expect.objectContaining({ Evaluations: [], ResultToken: 'result-token-from-config' }),
    ]);
  }, 60_000);

  it('puts exactly the changed verdicts and closes gone users, and Config then holds every verdict', async () => {
    // Prepare: a first run, then changes.
    const iam = account(300);
    let now = day(0);
    const model = new ConfigModel(() => now);
    ok(await run(iam, model, now));
    now = new Date(now.getTime() + 3600_000);
    const user = (i: number) => iam.users.find((u) => u.name === `user-${i}`) as ModelUser;
    user(1).keys[0] = { ...(user(1).keys[0] as ModelUser['keys'][0]), lastUsed: day(-200) }; // becomes stale
    user(10).keys[0] = { ...(user(10).keys[0] as ModelUser['keys'][0]), lastUsed: now }; // stale, used again
    user(20).keys.push({
      id: 'AKIASECONDSTALEKEY01',
      status: 'Active',
      createDate: day(-500),
      lastUsed: null,
    }); // revoke set grows
    iam.remove('user-5');
    iam.remove('user-6');
    // Act: user-2 is excluded now.
    const r = await run(iam, model, now, 'user-2');
    // Assess
    expect(r.put.map((e) => `${e.resourceId} ${e.compliance}`).sort()).toEqual(
      [
        `${user(1).id} NON_COMPLIANT`,
        `${user(10).id} COMPLIANT`,
        `${user(20).id} NON_COMPLIANT`,
        `${user(2).id} COMPLIANT`,
        'AIDA00000000000000005 NOT_APPLICABLE',
        'AIDA00000000000000006 NOT_APPLICABLE',
      ].sort(),
    );
    expect(r.put.find((e) => e.resourceId === user(2).id)?.annotation).toMatch(
      /^EXCLUDED user-2 .*\[v1 X\]$/,
    );
    expect(compareHeld(model, truth(iam, now, 'user-2'))).toEqual([]);
  });

  it('puts every verdict when the recorded ones cannot be read, with a WARN and a metric', async () => {
    // Prepare
    const iam = account(150);
    let now = day(0);
    const model = new ConfigModel(() => now);
    ok(await run(iam, model, now));
    iam.remove('user-3');
    now = day(1);
    model.failReads = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    // Act
    const r = await run(iam, model, now);
    // Assess: every verdict put; the gone user cannot be found without a listing, so the run fails.
    expect(r.summary).toBeInstanceOf(ConfigReadError);
    expect(r.put.map((e) => e.resourceId).sort()).toEqual(iam.users.map((u) => u.id).sort());
    const lines = r.logger.json();
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'recorded evaluations unreadable; putting every verdict this run',
      }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ [RECORDED_UNREADABLE_METRIC]: 1 }));
    // Config is right for every live user; the next run, reads working, closes the gone one.
    const gone = 'AIDA00000000000000003';
    expect(compareHeld(model, truth(iam, now))).toEqual([`${gone}: gone, yet Config holds COMPLIANT`]);
    model.failReads = undefined;
    ok(await run(iam, model, now));
    expect(compareHeld(model, truth(iam, now))).toEqual([]);
  });

  it('fails with PutEvaluationsError when the closing empty PutEvaluations is refused', async () => {
    // Prepare: nothing to put on the second run the same day.
    const iam = account(20);
    const now = day(0);
    const model = new ConfigModel(() => now);
    ok(await run(iam, model, now));
    const config = serveConfigModel(model);
    const expired = Object.assign(new Error('token expired'), { name: 'InvalidResultTokenException' });
    config.stub.on(PutEvaluationsCommand).rejects(expired);
    const handler = createHandler({
      iam: serveIam(iam).client,
      ssm: serveSsm(NO_EXCLUSIONS_VALUE).client,
      config: config.client,
      factsSource: modelSource(iam),
      clock: () => now,
      logger: collectingLogger(),
    });
    // Act
    const error = await handler(scheduledEvent({}, { notificationCreationTime: now.toISOString() }), {
      getRemainingTimeInMillis: () => 900_000,
    }).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(PutEvaluationsError);
    expect((error as Error).cause).toBe(expired);
    expect(config.stub.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input.Evaluations)).toEqual([
      [],
    ]);
  });

  it('over 60 daily runs puts each user at least every 30 days, about 1/30 a day, Config always right', async () => {
    const iam = account(600);
    let now = day(0);
    const model = new ConfigModel(() => now);
    ok(await run(iam, model, now));
    const perDay: number[] = [];
    for (let d = 1; d <= 60; d++) {
      now = day(d);
      // Daily use keeps the fresh users fresh.
      for (const u of iam.users)
        for (const k of u.keys) if ((k.lastUsed?.getTime() ?? 0) > day(d - 2).getTime()) k.lastUsed = now;
      const r = await run(iam, model, now);
      ok(r.summary);
      perDay.push(r.put.length);
      expect(compareHeld(model, truth(iam, now))).toEqual([]);
      const oldest = Math.min(...[...model.held.values()].map((e) => e.recordedAt.getTime()));
      expect(now.getTime() - oldest).toBeLessThanOrEqual(30 * MS_PER_DAY);
    }
    expect(Math.max(...perDay)).toBeLessThanOrEqual(45);
    expect(perDay.reduce((a, b) => a + b, 0)).toBe(600 * 2);
  }, 60_000);
});
