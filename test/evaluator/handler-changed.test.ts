import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand } from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { readRecordedVerdicts } from '../../evaluator/aws/recorded-evaluations';
import { decide, MS_PER_DAY } from '../../evaluator/decision';
import { ConfigReadError } from '../../evaluator/errors';
import { ExclusionList, NO_EXCLUSIONS_VALUE } from '../../evaluator/exclusions';
import { CallCounter, type UserFactsSource } from '../../evaluator/facts/types';
import { createHandler } from '../../evaluator/handler';
import { serveIam, serveSsm } from '../../scripts/simulation/aws-mock';
import { type ConfigModel, serveConfigModel } from '../../scripts/simulation/config-model';
import { IamAccount, type ModelUser } from '../../scripts/simulation/model';
import { verdictKey } from '../../scripts/simulation/run';
import { collectingLogger, RULE_NAME, scheduledEvent } from './handler-fixtures';

/**
 * Write only what changed, run after run, against an in-memory Config (scripts/simulation):
 * after every run Config must hold exactly the verdict of every user.
 */

const START = new Date('2025-06-01T06:00:00Z');
const MAX = 90;
const day = (n: number) => new Date(START.getTime() + n * MS_PER_DAY);

function _account(n: number): IamAccount {
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

function _truth(iam: IamAccount, at: Date, exclusions = '') {
  const policy = { maxAgeDays: MAX, exclusions: ExclusionList.parse(exclusions) };
  return new Map(iam.facts().map((f) => [f.userId, verdictKey(decide(f, policy, at))]));
}

async function _run(iam: IamAccount, model: ConfigModel, at: Date, exclusions?: string) {
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

function _ok<T>(value: T | unknown): T {
  if (value instanceof Error) throw value;
  return value as T;
}

describe('readRecordedVerdicts', () => {
  const configMock = mockClient(ConfigServiceClient);

  it('reads every page, 100 at a time, keeping compliance, state token and recording time', async () => {
    // Prepare: 250 results and one of another resource type.
    configMock.reset();
    const results = Array.from({ length: 250 }, (_, i) => ({
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: { ResourceType: 'AWS::IAM::User', ResourceId: `AIDA${i}` },
      },
      ComplianceType: i % 2 ? ('COMPLIANT' as const) : ('NON_COMPLIANT' as const),
      Annotation: i === 0 ? 'older format, no token' : `u${i}: ok [v1 C]`,
      ResultRecordedTime: day(-i),
    }));
    results.push({
      ...results[1],
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: { ResourceType: 'AWS::IAM::Role', ResourceId: 'AROA1' },
      },
    } as never);
    // The SDK's paginator re-uses one input object, so each request is copied as it is sent.
    const requests: { Limit?: number; NextToken?: string; ComplianceTypes?: string[] }[] = [];
    configMock
      .on(GetComplianceDetailsByConfigRuleCommand)
      .callsFake((input: { NextToken?: string; Limit?: number; ComplianceTypes?: string[] }) => {
        requests.push({ ...input });
        const start = Number(input.NextToken ?? 0);
        const end = start + (input.Limit ?? 0);
        return {
          EvaluationResults: results.slice(start, end),
          ...(end < results.length ? { NextToken: String(end) } : {}),
        };
      });
    const calls = new CallCounter();
    // Act
    const recorded = await readRecordedVerdicts(
      new ConfigServiceClient({ region: 'us-east-1' }),
      RULE_NAME,
      calls,
    );
    // Assess
    expect(recorded.size).toBe(250);
    expect(recorded.get('AIDA0')).toEqual({
      compliance: 'NON_COMPLIANT',
      state: undefined,
      recordedAt: day(0),
    });
    expect(recorded.get('AIDA7')).toEqual({ compliance: 'COMPLIANT', state: '[v1 C]', recordedAt: day(-7) });
    expect(requests.map((i) => [i.Limit, i.NextToken])).toEqual([
      [100, undefined],
      [100, '100'],
      [100, '200'],
    ]);
    expect(requests[0]?.ComplianceTypes).toEqual(['COMPLIANT', 'NON_COMPLIANT']);
    expect(calls.snapshot()).toEqual({ GetComplianceDetailsByConfigRule: 3 });
  });

  it.each([
    ['throttled after the SDK retries', 'ThrottlingException'],
    ['denied', 'AccessDeniedException'],
  ])('fails with ConfigReadError, with the cause, when a later page is %s', async (_what, name) => {
    configMock.reset();
    const cause = Object.assign(new Error(`${name} from the mock`), { name });
    configMock
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolvesOnce({ EvaluationResults: [], NextToken: 'next' })
      .rejects(cause);
    const calls = new CallCounter();
    const error = await readRecordedVerdicts(
      new ConfigServiceClient({ region: 'us-east-1' }),
      RULE_NAME,
      calls,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigReadError);
    expect((error as Error).cause).toBe(cause);
    expect((error as Error).message).toContain(name);
    expect(calls.snapshot()).toEqual({ GetComplianceDetailsByConfigRule: 2 });
  });
});
