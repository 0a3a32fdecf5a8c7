import { Duration } from 'aws-cdk-lib';

/**
 * How long a change of the exclusion list keeps trying to start a re-evaluation. SQS hands the
 * message back every VISIBILITY_TIMEOUT until it was received MAX_RECEIVE_COUNT times, so the
 * last attempt comes (MAX_RECEIVE_COUNT - 1) * VISIBILITY_TIMEOUT after the first. That must
 * outlast the longest evaluation a busy Config can be running (the evaluator's 15-minute
 * timeout) plus a margin for Config's own scheduling and the one-start-a-minute limit.
 */
export interface RetrySettings {
  readonly visibilityTimeout: Duration;
  readonly maxReceiveCount: number;
  /** The evaluator's hard timeout (infra/member.ts EVALUATOR_TIMEOUT) and the margin beyond it. */
  readonly mustOutlast: Duration;
  readonly margin: Duration;
}

export const REEVALUATE_RETRY: RetrySettings = {
  visibilityTimeout: Duration.minutes(2),
  maxReceiveCount: 16,
  mustOutlast: Duration.minutes(15),
  margin: Duration.minutes(10),
};

/** Seconds from the first attempt to the last. */
export function retryWindowSeconds(visibilityTimeoutSeconds: number, maxReceiveCount: number): number {
  return (maxReceiveCount - 1) * visibilityTimeoutSeconds;
}

/** Whether the retry window covers a whole run of the evaluator plus the margin. */
export function retryWindowIsEnough(retry: RetrySettings = REEVALUATE_RETRY): boolean {
  return (
    retryWindowSeconds(retry.visibilityTimeout.toSeconds(), retry.maxReceiveCount) >=
    retry.mustOutlast.toSeconds() + retry.margin.toSeconds()
  );
}
