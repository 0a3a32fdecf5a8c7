import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { errorText } from '../error-text';
import type { CallCounter } from '../facts/types';

/** PutEvents takes at most 10 entries per call (256 KB in all; a warning is well under 1 KB); docs/aws-behaviour.md, "PutEvents limits". */
export const PUT_EVENTS_BATCH_SIZE = 10;

export interface PutEventsOutcome {
  readonly sent: number;
  readonly failed: number;
  /** What failed: a thrown error per call, or an entry's ErrorCode and message. */
  readonly errors: readonly string[];
}

/**
 * Puts the entries in batches of 10, one call per batch: ceil(n / 10) calls at most, no in-run
 * retry (the next run retries, see WarningRun). A call that throws (after the SDK's own retries)
 * stops the rest: the same error would fail them too. Entries a call rejects (FailedEntryCount)
 * are counted failed and the next batches still go.
 */
export async function putEventsInBatches(
  client: EventBridgeClient,
  entries: readonly PutEventsRequestEntry[],
  calls: CallCounter,
): Promise<PutEventsOutcome> {
  let sent = 0;
  let failed = 0;
  const errors: string[] = [];
  for (let start = 0; start < entries.length; start += PUT_EVENTS_BATCH_SIZE) {
    const batch = entries.slice(start, start + PUT_EVENTS_BATCH_SIZE);
    calls.count('PutEvents');
    try {
      const out = await client.send(new PutEventsCommand({ Entries: batch }));
      const rejected = (out.Entries ?? []).filter((e) => e.ErrorCode !== undefined);
      // FailedEntryCount is authoritative; Entries says which ones (same order as the request).
      const failedHere = Math.max(out.FailedEntryCount ?? 0, rejected.length);
      for (const e of rejected) errors.push(`${e.ErrorCode}: ${e.ErrorMessage ?? ''}`.trim());
      failed += failedHere;
      sent += batch.length - failedHere;
    } catch (error) {
      errors.push(errorText(error));
      failed += entries.length - start;
      break;
    }
  }
  return { sent, failed, errors };
}
