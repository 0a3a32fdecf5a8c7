/**
 * The deadline guard against the SDK's real retries, under fake timers: every IAM attempt is slow
 * and most are throttled, so calls take close to their bounded worst case. The run must stop with
 * its ERROR line before the Lambda's hard timeout (15 minutes), never be cut off by it.
 */
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { IAMClient } from '@aws-sdk/client-iam';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SDK_RETRY_CONFIG } from '../../evaluator/aws/clients';
import { DEFAULT_SAFETY_MARGIN_MS } from '../../evaluator/deadline';
import { DeadlineExceededError, IamReadError } from '../../evaluator/errors';
import { NO_EXCLUSIONS_VALUE } from '../../evaluator/exclusions';
import { createPerUserSource } from '../../evaluator/facts/per-user';
import { createHandler } from '../../evaluator/handler';
import { collectingLogger, daysAgo, iamError, scheduledEvent, userId } from './handler-fixtures';

const ssmMock = mockClient(SSMClient);
const configMock = mockClient(ConfigServiceClient);
const LAMBDA_TIMEOUT_MS = 15 * 60 * 1000;

beforeEach(() => {
  ssmMock.reset();
  configMock.reset();
  ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: NO_EXCLUSIONS_VALUE, Version: 1 } });
  ssmMock.on(PutParameterCommand).resolves({ Version: 1 });
  configMock.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** 2,000 users; each attempt takes 5.5 s; the first `throttled` attempts of every call are throttled. */
function slowIam(throttled: number) {
  const client = new IAMClient({
    ...SDK_RETRY_CONFIG,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'example-secret' },
  });
  // Attempts per call (the retry middleware passes the same input object to every attempt).
  const attempts = new WeakMap<object, number>();
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      const attempt = (attempts.get(args.input as object) ?? 0) + 1;
      attempts.set(args.input as object, attempt);
      if (attempt <= throttled) {
        throw Object.assign(iamError('Throttling', 'Rate exceeded'), {
          $retryable: { throttling: true },
          $metadata: { httpStatusCode: 400 },
        });
      }
      const operation = String(context.commandName).replace(/Command$/, '');
      const output: Record<string, unknown> =
        operation === 'ListUsers'
          ? {
              Users: Array.from({ length: 2000 }, (_, i) => ({
                UserName: `u${i}`,
                UserId: userId(i),
                Path: '/',
                Arn: 'arn',
                CreateDate: daysAgo(500),
              })),
              IsTruncated: false,
            }
          : operation === 'ListAccessKeys'
            ? { AccessKeyMetadata: [], IsTruncated: false }
            : { LoginProfile: { UserName: 'u', CreateDate: daysAgo(300) } };
      return { output: { $metadata: {}, ...output }, response: {} } as never;
    },
    { step: 'finalizeRequest', priority: 'low', name: 'slowAnswer' },
  );
  return client;
}

describe('deadline guard with the SDK retrying for real', () => {
  it.each([
    // Slow calls: the guard stops the run within its margin, using the time it has.
    ['every call slow (5.5 s)', 0, DeadlineExceededError, LAMBDA_TIMEOUT_MS - 2 * DEFAULT_SAFETY_MARGIN_MS],
    // The standard strategy's retry quota runs dry under sustained throttling: the run fails closed.
    ['every call slow and throttled twice', 2, IamReadError, 0],
  ])(
    '%s: stops with an ERROR line before the hard timeout',
    async (_case, throttled, expected, minElapsed) => {
      vi.useFakeTimers();
      const start = Date.now();
      const logger = collectingLogger();
      const handler = createHandler({
        iam: slowIam(throttled),
        ssm: new SSMClient({ region: 'us-east-1' }),
        config: new ConfigServiceClient({ region: 'us-east-1' }),
        factsSource: createPerUserSource,
        clock: () => new Date(),
        logger,
        putRetry: { sleep: async () => undefined },
      });
      const context = { getRemainingTimeInMillis: () => LAMBDA_TIMEOUT_MS - (Date.now() - start) };
      let outcome: unknown;
      let endedAt: number | undefined;
      const run = handler(scheduledEvent(), context).then(
        () => undefined,
        (e: unknown) => {
          outcome = e;
          endedAt = Date.now();
        },
      );
      for (let i = 0; endedAt === undefined && i < 20_000; i++) await vi.advanceTimersByTimeAsync(250);
      await run;
      expect(outcome).toBeInstanceOf(expected);
      expect((endedAt as number) - start).toBeLessThan(LAMBDA_TIMEOUT_MS);
      expect((endedAt as number) - start).toBeGreaterThan(minElapsed);
      expect(logger.json().at(-1)).toMatchObject({
        level: 'ERROR',
        errorName: (expected as { name: string }).name,
      });
    },
    60_000,
  );
});
