/** A clock and a way to wait on it: real time in the CLI, virtual time in the simulation. */
export interface Timekeeper {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const REAL_TIME: Timekeeper = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Sustained calls per second, and how many may go at once after a quiet spell. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/**
 * Config's aggregate APIs are throttled per account and region at a few calls per second
 * (docs/aws-behaviour.md, "Aggregate API request rates"): staying under the limit is cheaper than
 * riding the SDK's backoff, which can stall a worker for seconds.
 */
export const AGGREGATOR_RATE: RateLimit = { perSecond: 9, burst: 9 };

/**
 * A token bucket: each call waits for a token; tokens refill at `perSecond` up to `burst`.
 * Hand-written (about 20 lines) because the simulation needs an injected clock, which p-throttle
 * and similar libraries do not take.
 */
export function createRateLimiter(limit: RateLimit, time: Timekeeper = REAL_TIME): () => Promise<void> {
  let tokens = limit.burst;
  let last = time.now();
  const takeOne = async (): Promise<void> => {
    for (;;) {
      const now = time.now();
      tokens = Math.min(limit.burst, tokens + ((now - last) * limit.perSecond) / 1000);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await time.sleep(Math.ceil(((1 - tokens) * 1000) / limit.perSecond));
    }
  };
  // Waiters queue in order, so no caller starves behind later ones.
  let queue: Promise<void> = Promise.resolve();
  return () => {
    const turn = queue.then(takeOne);
    queue = turn;
    return turn;
  };
}

/** An SDK client whose `send` (and so every paginator over it) waits for the limiter first. */
export function rateLimited<C extends object>(client: C, acquire: () => Promise<void>): C {
  const send = (client as { send: (...args: unknown[]) => Promise<unknown> }).send.bind(client);
  return Object.create(client, {
    send: {
      value: async (...args: unknown[]) => {
        await acquire();
        return send(...args);
      },
    },
  }) as C;
}
