import { budgetedSafetyMarginMs } from './aws/sdk-budget';
import { DeadlineExceededError } from './errors';
import type { Deadline } from './facts/types';

/**
 * Time kept back when deciding whether new work may start: it must cover the users already in
 * flight (a few IAM calls each, each at its bounded worst case), the failed run's heartbeat and
 * logging the failure, before Lambda kills the invocation without a word (aws/sdk-budget.ts).
 */
export const DEFAULT_SAFETY_MARGIN_MS = budgetedSafetyMarginMs();

export interface DeadlineOptions {
  /** Milliseconds left before the invocation is stopped (Lambda: context.getRemainingTimeInMillis). */
  readonly remainingMs: () => number;
  /** @default DEFAULT_SAFETY_MARGIN_MS */
  readonly safetyMarginMs?: number;
  /** How far the run got, for the error message, e.g. "120 users evaluated, 100 evaluations put". */
  readonly progress?: () => string;
}

export function createDeadline(options: DeadlineOptions): Deadline {
  const margin = options.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS;
  if (!Number.isFinite(margin) || margin < 0) {
    throw new RangeError(`safetyMarginMs must be a number >= 0, got ${margin}`);
  }
  return {
    remainingMs: options.remainingMs,
    check(what: string): void {
      const left = options.remainingMs();
      if (left > margin) return;
      const progress = options.progress ? ` Progress: ${options.progress()}.` : '';
      throw new DeadlineExceededError(
        `Stopped before ${what}: ${left} ms of the Lambda's time left, within the ${margin} ms safety margin.` +
          `${progress} Evaluations already put are correct; the remaining users were not evaluated in this run. ` +
          "Raise the function's timeout (or memory), or look for IAM ThrottlingException retries slowing the run.",
      );
    },
  };
}

/** A Deadline from the Lambda context. */
export function lambdaDeadline(
  context: { getRemainingTimeInMillis(): number },
  options: Omit<DeadlineOptions, 'remainingMs'> = {},
): Deadline {
  return createDeadline({ ...options, remainingMs: () => context.getRemainingTimeInMillis() });
}
