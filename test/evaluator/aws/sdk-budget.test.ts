/**
 * The bound on one SDK call, measured: a real IAMClient with the evaluator's settings, answered
 * just below the SDK's retry middleware, under fake timers (no network, no real waiting).
 */
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  boundedClientConfig,
  budgetedSafetyMarginMs,
  SDK_CALL_LIMITS,
  worstCaseCallMs,
} from '../../../evaluator/aws/sdk-budget';
import { iamError } from '../handler-fixtures';

afterEach(() => {
  vi.useRealTimers();
});

function throttling() {
  const error = iamError('Throttling', 'Rate exceeded');
  Object.assign(error, { $retryable: { throttling: true }, $metadata: { httpStatusCode: 400 } });
  return error;
}

/** Every attempt first hangs for `hangMs` (a slow network), then fails as `fail` says. */
function iamFailingEveryAttempt(hangMs: number, fail: () => Error) {
  const attempts: number[] = [];
  const client = new IAMClient({
    ...boundedClientConfig(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'example-secret' },
  });
  client.middlewareStack.add(
    () => async () => {
      attempts.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, hangMs));
      throw fail();
    },
    { step: 'finalizeRequest', priority: 'low', name: 'failFromTest' },
  );
  return { client, attempts };
}

async function elapsedUntilSettled(promise: Promise<unknown>): Promise<number> {
  const start = Date.now();
  let settled = false;
  const done = promise.then(
    () => undefined,
    () => undefined,
  );
  void done.finally(() => {
    settled = true;
  });
  for (let step = 0; !settled && step < 100_000; step++) await vi.advanceTimersByTimeAsync(10);
  await done;
  return Date.now() - start;
}

describe('one SDK call has a known worst case', () => {
  it('is 31 s with 3 attempts, 1 s + 5 s timeouts and the standard backoff', () => {
    expect(SDK_CALL_LIMITS.maxAttempts).toBe(3);
    expect(worstCaseCallMs()).toBe(31_000);
    expect(budgetedSafetyMarginMs()).toBe(188_000);
  });

  it('a call throttled on every attempt gives up within the bound, after exactly maxAttempts', async () => {
    vi.useFakeTimers();
    const { client, attempts } = iamFailingEveryAttempt(0, throttling);
    const elapsed = await elapsedUntilSettled(client.send(new ListUsersCommand({})));
    expect(attempts).toHaveLength(SDK_CALL_LIMITS.maxAttempts);
    expect(elapsed).toBeLessThanOrEqual(worstCaseCallMs());
  });

  it('a call whose every attempt hangs to the request timeout then throttles stays within the bound', async () => {
    vi.useFakeTimers();
    const hang = SDK_CALL_LIMITS.connectionTimeoutMs + SDK_CALL_LIMITS.requestTimeoutMs;
    const { client, attempts } = iamFailingEveryAttempt(hang, throttling);
    const elapsed = await elapsedUntilSettled(client.send(new ListUsersCommand({})));
    expect(attempts).toHaveLength(SDK_CALL_LIMITS.maxAttempts);
    expect(elapsed).toBeGreaterThanOrEqual(SDK_CALL_LIMITS.maxAttempts * hang);
    expect(elapsed).toBeLessThanOrEqual(worstCaseCallMs());
  });

  it('sets connection and request timeouts that throw (not only warn) on the HTTP handler', async () => {
    const config = boundedClientConfig();
    expect(config.retryMode).toBe('standard');
    // The client builds its HTTP handler from the options; the handler resolves them lazily.
    const client = new IAMClient({ ...config, region: 'us-east-1' });
    const handler = client.config.requestHandler as unknown as {
      configProvider: Promise<Record<string, unknown>>;
    };
    expect(await handler.configProvider).toMatchObject({
      connectionTimeout: SDK_CALL_LIMITS.connectionTimeoutMs,
      requestTimeout: SDK_CALL_LIMITS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    });
  });
});
