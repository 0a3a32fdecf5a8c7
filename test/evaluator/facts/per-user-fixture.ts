import { IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach } from 'vitest';
import { createDeadline } from '../../../evaluator/deadline';
import type { UserFacts } from '../../../evaluator/decision';
import { createPerUserSource } from '../../../evaluator/facts/per-user';
import { CallCounter, type GatherContext } from '../../../evaluator/facts/types';
import { collectingLogger, NOW } from '../handler-fixtures';

/** Shared setup for per-user.test.ts, per-user-failures.test.ts. */
export const iamMock = mockClient(IAMClient);

export function gatherContext(overrides: Partial<GatherContext> = {}): GatherContext {
  return {
    now: NOW,
    maxAgeDays: 90,
    deadline: createDeadline({ remainingMs: () => 600_000 }),
    iamCalls: new CallCounter(),
    ...overrides,
  };
}

export async function collect(iterable: AsyncIterable<UserFacts>): Promise<UserFacts[]> {
  const out: UserFacts[] = [];
  for await (const user of iterable) out.push(user);
  return out;
}

export function source(options: { concurrency?: number; chunkSize?: number } = {}) {
  const logger = collectingLogger();
  return {
    logger,
    source: createPerUserSource({ iam: new IAMClient({ region: 'us-east-1' }), logger, ...options }),
  };
}

/** Runs a fresh per-user source over the mocked IAM account and collects every user's facts. */
export function gatherFacts(
  options: { concurrency?: number; chunkSize?: number } = {},
  context: GatherContext = gatherContext(),
): Promise<UserFacts[]> {
  return collect(source(options).source.gather(context));
}

beforeEach(() => {
  iamMock.reset();
});
