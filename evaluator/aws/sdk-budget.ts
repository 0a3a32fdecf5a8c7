/**
 * The longest one SDK call can take, made finite and known, so the deadline guard can keep that
 * much time back. Adaptive retry mode is not used: its client-side rate limiter can hold a
 * request for an unbounded time (38-72 s seen for one throttled call), which no margin can budget.
 * Standard mode with few attempts, connection and request timeouts gives a hard bound.
 */
export const SDK_CALL_LIMITS = {
  maxAttempts: 3,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 5_000,
} as const;
export type SdkCallLimits = typeof SDK_CALL_LIMITS;

/**
 * The SDK's standard backoff (Smithy retry strategy): before retry k (k = 0, 1, ...) it waits at
 * most min(base * 2^k, 20 s), base 1 s for throttling (the larger base), plus up to 5 s more when
 * the service sends a Retry-After hint.
 */
export const SDK_BACKOFF = { throttlingBaseMs: 1_000, maxDelayMs: 20_000, retryAfterExtraMs: 5_000 } as const;

/**
 * Calls one unit of work may send after its single deadline check: for one user, GetLoginProfile,
 * ListAccessKeys, GetAccessKeyLastUsed for each of at most 2 keys, and one existence check.
 */
export const CALLS_AFTER_A_CHECK = 5;
/** Writing the log lines and the failed run's heartbeat after the guard stops the run. */
export const FINISHING_CALLS = 1;
export const LOGGING_ALLOWANCE_MS = 2_000;

/** Client settings for every evaluator client. */
export function boundedClientConfig(limits: SdkCallLimits = SDK_CALL_LIMITS) {
  return {
    retryMode: 'standard',
    maxAttempts: limits.maxAttempts,
    // Options, not a NodeHttpHandler instance: the client builds its own handler from them, and
    // the bundle does not carry a second copy of the HTTP stack (the runtime's SDK has it).
    requestHandler: {
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Without it, newer Smithy versions only log a warning when the request timeout passes.
      throwOnRequestTimeout: true,
    },
  } as const;
}

/** Worst case of one call: every attempt times out, every wait is the longest the strategy allows. */
export function worstCaseCallMs(limits: SdkCallLimits = SDK_CALL_LIMITS): number {
  let waits = 0;
  for (let k = 0; k < limits.maxAttempts - 1; k++) {
    waits +=
      Math.min(SDK_BACKOFF.throttlingBaseMs * 2 ** k, SDK_BACKOFF.maxDelayMs) + SDK_BACKOFF.retryAfterExtraMs;
  }
  return limits.maxAttempts * (limits.connectionTimeoutMs + limits.requestTimeoutMs) + waits;
}

/**
 * The deadline guard's safety margin: the work already started when the guard last said yes (one
 * unit per lane, lanes run in parallel), then the finishing calls and the log lines.
 */
export function budgetedSafetyMarginMs(limits: SdkCallLimits = SDK_CALL_LIMITS): number {
  return (CALLS_AFTER_A_CHECK + FINISHING_CALLS) * worstCaseCallMs(limits) + LOGGING_ALLOWANCE_MS;
}
