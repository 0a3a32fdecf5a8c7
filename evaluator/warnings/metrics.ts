import type { Logger } from '../observability';
import { emitCountMetrics } from '../safety-metrics';

export interface WarningStats {
  /** Warnings this run owed (after deduplication). */
  readonly inWindow: number;
  readonly sent: number;
  /** Entries PutEvents did not accept. */
  readonly failed: number;
  readonly putEventsCalls: number;
  readonly listUserTagsCalls: number;
  /** Whether every warning went out and the last-delivered instant moved to this run. */
  readonly delivered: boolean;
}

/**
 * The warnings' own EMF line (same namespace and dimension as the run's metrics), so an alarm on
 * WarningFailures sees a warning path that keeps failing while the evaluations succeed.
 */
export function emitWarningMetrics(
  logger: Logger,
  stats: WarningStats & { readonly failures: number },
  timestamp: Date,
): void {
  const values = {
    WarningsSent: stats.sent,
    WarningFailures: stats.failures,
    PutEventsCalls: stats.putEventsCalls,
  };
  emitCountMetrics(logger, values, timestamp);
}
