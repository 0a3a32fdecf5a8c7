/**
 * The SDK's own retries, which aws-sdk-client-mock bypasses (it replaces send()). Here a real
 * IAMClient with the evaluator's retry settings answers from a middleware placed below the retry
 * step, so a throttled call really goes through the SDK's adaptive retry and nothing touches a network.
 */
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { IAMClient } from '@aws-sdk/client-iam';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SDK_RETRY_CONFIG } from '../../evaluator/aws/clients';
import { IamReadError } from '../../evaluator/errors';
import { NO_EXCLUSIONS_VALUE } from '../../evaluator/exclusions';
import { createPerUserSource } from '../../evaluator/facts/per-user';
import { createHandler } from '../../evaluator/handler';
import { HEARTBEAT_PARAMETER_NAME } from '../../evaluator/heartbeat';
import {
  collectingLogger,
  daysAgo,
  iamError,
  lambdaContext,
  NOW,
  scheduledEvent,
  userId,
} from './handler-fixtures';

const ssmMock = mockClient(SSMClient);
const configMock = mockClient(ConfigServiceClient);

type Answer = (input: Record<string, unknown>, attempt: number) => Record<string, unknown>;

/** A real client whose requests are answered just below the SDK's retry middleware. */
function iamAnswering(answers: Record<string, Answer>) {
  const attempts: string[] = [];
  const client = new IAMClient({
    ...SDK_RETRY_CONFIG,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'example-secret' },
  });
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      attempts.push(operation);
      const answer = answers[operation];
      if (!answer) throw new Error(`test has no answer for ${operation}`);
      const output = answer(
        args.input as Record<string, unknown>,
        attempts.filter((o) => o === operation).length,
      );
      return { output: { $metadata: {}, ...output }, response: {} } as never;
    },
    { step: 'finalizeRequest', priority: 'low', name: 'answerFromTest' },
  );
  return { client, attempts };
}

function throttling() {
  const error = iamError('Throttling', 'Rate exceeded');
  Object.assign(error, { $retryable: { throttling: true }, $metadata: { httpStatusCode: 400 } });
  return error;
}

/** Advances fake time in small steps until `promise` settles. */
async function settleWithFakeTime<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  const done = promise.finally(() => {
    settled = true;
  });
  for (let step = 0; !settled && step < 10_000; step++) await vi.advanceTimersByTimeAsync(50);
  return done;
}

afterEach(() => {
  vi.useRealTimers();
});

beforeEach(() => {
  ssmMock.reset();
  configMock.reset();
  ssmMock
    .on(GetParameterCommand)
    .resolves({ Parameter: { Name: '/iam-unused-user-cleanup/excluded-users', Value: NO_EXCLUSIONS_VALUE } });
  ssmMock
    .on(GetParameterCommand, { Name: HEARTBEAT_PARAMETER_NAME })
    .rejects(new ParameterNotFound({ message: 'missing', $metadata: {} }));
  configMock.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
});

const oneUser: Record<string, Answer> = {
  ListUsers: () => ({
    Users: [{ UserName: 'alice', UserId: userId(1), Path: '/', Arn: 'arn', CreateDate: daysAgo(500) }],
    IsTruncated: false,
  }),
  GetLoginProfile: () => ({ LoginProfile: { UserName: 'alice', CreateDate: daysAgo(300) } }),
  ListAccessKeys: () => ({ AccessKeyMetadata: [], IsTruncated: false }),
};

describe('evaluator handler with the SDK retrying', () => {
  it('rides out IAM throttling and then evaluates normally', async () => {
    // Prepare: the first GetLoginProfile attempt is throttled.
    const { client, attempts } = iamAnswering({
      ...oneUser,
      GetLoginProfile: (input, attempt) => {
        if (attempt === 1) throw throttling();
        return oneUser.GetLoginProfile?.(input, attempt) ?? {};
      },
    });
    const handler = createHandler({
      iam: client,
      ssm: new SSMClient({ region: 'us-east-1' }),
      config: new ConfigServiceClient({ region: 'us-east-1' }),
      // These tests pin the per-user strategy's exact calls; report-first has its own tests.
      factsSource: createPerUserSource,
      clock: () => NOW,
      logger: collectingLogger(),
    });
    // Act: fake timers skip the SDK's backoff sleep instead of waiting for it.
    vi.useFakeTimers();
    const summary = await settleWithFakeTime(handler(scheduledEvent(), lambdaContext()));
    // Assess
    expect(attempts).toEqual(['ListUsers', 'GetLoginProfile', 'GetLoginProfile', 'ListAccessKeys']);
    expect(summary.iamCalls.byOperation).toEqual({ GetLoginProfile: 1, ListAccessKeys: 1, ListUsers: 1 });
    const evaluations = configMock.commandCalls(PutEvaluationsCommand)[0]?.args[0].input.Evaluations;
    expect(evaluations).toEqual([
      expect.objectContaining({ ComplianceResourceId: userId(1), ComplianceType: 'NON_COMPLIANT' }),
    ]);
  });

  it('does not retry AccessDenied, and puts no verdict for the user', async () => {
    // Prepare
    const { client, attempts } = iamAnswering({
      ...oneUser,
      GetLoginProfile: () => {
        throw iamError('AccessDenied', 'not authorized');
      },
    });
    const handler = createHandler({
      iam: client,
      ssm: new SSMClient({ region: 'us-east-1' }),
      config: new ConfigServiceClient({ region: 'us-east-1' }),
      // These tests pin the per-user strategy's exact calls; report-first has its own tests.
      factsSource: createPerUserSource,
      clock: () => NOW,
      logger: collectingLogger(),
    });
    // Act
    const run = handler(scheduledEvent(), lambdaContext());
    // Assess
    await expect(run).rejects.toThrow(IamReadError);
    expect(attempts).toEqual(['ListUsers', 'GetLoginProfile']);
    expect(configMock.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
  });
});
