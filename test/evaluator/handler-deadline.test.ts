import { describe, expect, it } from 'vitest';
import { createDeadline, DEFAULT_SAFETY_MARGIN_MS, lambdaDeadline } from '../../evaluator/deadline';
import { DeadlineExceededError } from '../../evaluator/errors';

describe('deadline', () => {
  it('lets work start while more than the safety margin is left', () => {
    // Prepare
    const deadline = createDeadline({ remainingMs: () => DEFAULT_SAFETY_MARGIN_MS + 1 });
    // Act / Assess
    expect(() => deadline.check('reading user alice')).not.toThrow();
    expect(deadline.remainingMs()).toBe(DEFAULT_SAFETY_MARGIN_MS + 1);
  });

  it('stops at the margin with what, how far, and what to do', () => {
    // Prepare
    const deadline = createDeadline({
      remainingMs: () => 20_000,
      safetyMarginMs: 20_000,
      progress: () => '120 users evaluated, 100 evaluations put',
    });
    // Act
    const error = (() => {
      try {
        deadline.check('reading user bob');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    // Assess
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).message).toBe(
      "Stopped before reading user bob: 20000 ms of the Lambda's time left, within the 20000 ms safety margin. " +
        'Progress: 120 users evaluated, 100 evaluations put. Evaluations already put are correct; the remaining ' +
        "users were not evaluated in this run. Raise the function's timeout (or memory), or look for IAM " +
        'ThrottlingException retries slowing the run.',
    );
  });

  it('reads the Lambda context each time it is asked', () => {
    // Prepare
    const left = [60_000, 10_000];
    const deadline = lambdaDeadline(
      { getRemainingTimeInMillis: () => left.shift() ?? 0 },
      { safetyMarginMs: 15_000 },
    );
    // Act / Assess
    expect(() => deadline.check('first')).not.toThrow();
    expect(() => deadline.check('second')).toThrow(DeadlineExceededError);
  });

  it.each([-1, Number.NaN])('rejects a safety margin of %s', (margin) => {
    expect(() => createDeadline({ remainingMs: () => 1, safetyMarginMs: margin })).toThrow(RangeError);
  });
});
