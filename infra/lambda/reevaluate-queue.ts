import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { createReevaluateHandler, EvaluationBusyError, type LogLine } from './reevaluate';

/**
 * The re-evaluate function behind its SQS queue. An exclusion list change is a message; the
 * function tries StartConfigRulesEvaluation and, while Config is busy (LimitExceeded: a run is
 * going, or one started under a minute ago), hands the message back. SQS redelivers it after the
 * visibility timeout, again and again, for longer than the evaluator can run (REEVALUATE_RETRY),
 * so the change always ends in an evaluation that starts after it and reads the new list. Only
 * after that window does the message go to the dead-letter queue, whose alarm says so.
 */

/** The SQS event fields read here (ReportBatchItemFailures response). */
export interface QueueEvent {
  readonly Records: readonly {
    readonly messageId: string;
    readonly attributes?: { ApproximateReceiveCount?: string };
  }[];
}
export interface BatchResponse {
  readonly batchItemFailures: { itemIdentifier: string }[];
}

export function createQueuedReevaluateHandler(config: ConfigServiceClient, log: LogLine = console.log) {
  const reevaluate = createReevaluateHandler(config, log);
  return async (event: QueueEvent): Promise<BatchResponse> => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    // One StartConfigRulesEvaluation covers every change in the batch: it reads the list as it is now.
    const ids = event.Records.map((r) => r.messageId);
    if (ids.length === 0) return { batchItemFailures };
    const receiveCount = Math.max(
      ...event.Records.map((r) => Number(r.attributes?.ApproximateReceiveCount ?? 1)),
    );
    try {
      await reevaluate();
    } catch (error) {
      const busy = error instanceof EvaluationBusyError;
      log(
        JSON.stringify({
          level: busy ? 'WARN' : 'ERROR',
          message: busy
            ? 'Config is busy: the change goes back to the queue and is retried after the visibility timeout.'
            : 'Re-evaluation failed: the change goes back to the queue and is retried.',
          errorName: error instanceof Error ? error.name : 'NonError',
          errorMessage: error instanceof Error ? error.message : String(error),
          receiveCount,
        }),
      );
      for (const itemIdentifier of ids) batchItemFailures.push({ itemIdentifier });
    }
    return { batchItemFailures };
  };
}

export const handler = createQueuedReevaluateHandler(
  new ConfigServiceClient({ retryMode: 'standard', maxAttempts: 3 }),
);
