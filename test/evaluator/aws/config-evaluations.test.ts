import {
  ConfigServiceClient,
  type Evaluation,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  EvaluationWriter,
  type EvaluationWriterOptions,
  evaluationFor,
  listEvaluatedResourceIds,
  notApplicableEvaluation,
  putBatch,
} from '../../../evaluator/aws/config-evaluations';
import type { Verdict } from '../../../evaluator/decision';
import { ConfigReadError, PutEvaluationsError } from '../../../evaluator/errors';
import { CallCounter } from '../../../evaluator/facts/types';
import { userId } from '../handler-fixtures';

const configMock = mockClient(ConfigServiceClient);
const TS = new Date('2025-06-01T00:00:00Z');

function evaluations(n: number, from = 0): Evaluation[] {
  return Array.from({ length: n }, (_, i) => notApplicableEvaluation(userId(from + i), TS));
}

function options(overrides: Partial<EvaluationWriterOptions> = {}) {
  const delays: number[] = [];
  const opts: EvaluationWriterOptions = {
    config: new ConfigServiceClient({ region: 'us-east-1' }),
    resultToken: 'token',
    orderingTimestamp: TS,
    testMode: false,
    configCalls: new CallCounter(),
    retry: {
      sleep: async (ms) => {
        delays.push(ms);
      },
    },
    ...overrides,
  };
  return { opts, delays };
}

function sent(): Evaluation[][] {
  return configMock.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input.Evaluations ?? []);
}

beforeEach(() => {
  configMock.reset();
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
});

describe('evaluationFor', () => {
  const verdict = (annotation: string): Verdict => ({
    userName: 'alice',
    userId: userId(1),
    compliance: 'NON_COMPLIANT',
    excluded: false,
    revoke: { password: true, accessKeyIds: [] },
    credentials: [],
    annotation,
  });

  it('maps a verdict to an AWS::IAM::User evaluation keyed by UserId', () => {
    // Act
    const evaluation = evaluationFor(verdict('alice: password 100d unused'), TS);
    // Assess
    expect(evaluation).toEqual({
      ComplianceResourceType: 'AWS::IAM::User',
      ComplianceResourceId: userId(1),
      ComplianceType: 'NON_COMPLIANT',
      Annotation: 'alice: password 100d unused',
      OrderingTimestamp: TS,
    });
  });

  it.each([0, 257])('refuses an annotation of %i characters', (length) => {
    expect(() => evaluationFor(verdict('x'.repeat(length)), TS)).toThrow(PutEvaluationsError);
  });
});

describe('EvaluationWriter', () => {
  it('puts each full batch of 100 as it fills and the rest on flush', async () => {
    // Prepare
    const { opts } = options();
    const writer = new EvaluationWriter(opts);
    // Act
    for (const e of evaluations(100)) await writer.add(e);
    const afterHundred = sent().length;
    for (const e of evaluations(30, 100)) await writer.add(e);
    await writer.flush();
    // Assess
    expect(afterHundred).toBe(1);
    expect(sent().map((b) => b.length)).toEqual([100, 30]);
    expect(writer.put).toBe(130);
  });

  it('sends TestMode only when asked', async () => {
    // Prepare
    const { opts } = options({ testMode: true });
    // Act
    await putBatch(evaluations(1), opts);
    // Assess
    expect(configMock.commandCalls(PutEvaluationsCommand)[0]?.args[0].input).toMatchObject({
      ResultToken: 'token',
      TestMode: true,
    });
  });

  it('re-sends only the failed evaluations with growing backoff until they are accepted', async () => {
    // Prepare
    const batch = evaluations(10);
    const answers = [batch.slice(2, 6), batch.slice(3, 4), []];
    configMock.on(PutEvaluationsCommand).callsFake(() => ({ FailedEvaluations: answers.shift() }));
    const { opts, delays } = options({
      retry: { baseDelayMs: 100, sleep: async (ms) => void delays.push(ms) },
    });
    // Act
    await putBatch(batch, opts);
    // Assess
    expect(sent()).toEqual([batch, batch.slice(2, 6), batch.slice(3, 4)]);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
    expect(opts.configCalls.snapshot()).toEqual({ PutEvaluations: 3 });
  });

  it('throws PutEvaluationsError naming the resources after maxAttempts', async () => {
    // Prepare
    const batch = evaluations(3);
    configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: batch.slice(0, 2) });
    const { opts } = options({ retry: { maxAttempts: 3, sleep: async () => undefined } });
    // Act
    const run = putBatch(batch, opts);
    // Assess
    await expect(run).rejects.toThrow(PutEvaluationsError);
    await expect(run).rejects.toThrow(
      `rejected 2 evaluation(s) in 3 attempts (FailedEvaluations), resources ${userId(0)}, ${userId(1)}`,
    );
  });

  it('refuses a batch over 100', async () => {
    const { opts } = options();
    await expect(putBatch(evaluations(101), opts)).rejects.toThrow(RangeError);
    expect(sent()).toHaveLength(0);
  });
});

describe('listEvaluatedResourceIds', () => {
  it('collects IAM user ids over every page and ignores other resource types', async () => {
    // Prepare
    const result = (type: string, id: string) => ({
      EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: type, ResourceId: id } },
    });
    configMock
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolvesOnce({
        EvaluationResults: [result('AWS::IAM::User', 'A'), result('AWS::S3::Bucket', 'B')],
        NextToken: 't2',
      })
      .resolvesOnce({ EvaluationResults: [result('AWS::IAM::User', 'C')] });
    const calls = new CallCounter();
    // Act
    const ids = await listEvaluatedResourceIds(
      new ConfigServiceClient({ region: 'us-east-1' }),
      'rule',
      calls,
    );
    // Assess
    expect([...ids]).toEqual(['A', 'C']);
    expect(
      configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand).map((c) => c.args[0].input.NextToken),
    ).toEqual([undefined, 't2']);
    expect(calls.snapshot()).toEqual({ GetComplianceDetailsByConfigRule: 2 });
  });

  it('wraps a failure in ConfigReadError with the cause', async () => {
    // Prepare
    const cause = new Error('no such rule');
    cause.name = 'NoSuchConfigRuleException';
    configMock.on(GetComplianceDetailsByConfigRuleCommand).rejects(cause);
    // Act
    const error = await listEvaluatedResourceIds(
      new ConfigServiceClient({}),
      'rule',
      new CallCounter(),
    ).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(ConfigReadError);
    expect((error as Error).cause).toBe(cause);
    expect((error as Error).message).toContain('rule rule');
  });
});
