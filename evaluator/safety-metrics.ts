import { type Logger, METRIC_DIMENSION, METRIC_NAMESPACE } from './observability';

/**
 * Metric names the safety alarms and the CLI rely on (contract: docs/exclusions-safety.md,
 * "Metrics"). All are counts in namespace METRIC_NAMESPACE with the one Service dimension.
 */
export const SAFETY_METRICS = {
  /** 1 per run that evaluated every user and wrote its heartbeat; the missing-heartbeat alarm watches it. */
  heartbeat: 'Heartbeat',
  /** Exclusion entries that matched no user in that run. */
  unmatchedEntries: 'UnmatchedExclusionEntries',
  /** 1 per run refused because the exclusion parameter does not exist. */
  exclusionListMissing: 'ExclusionListMissing',
  /** 1 per failed run (any reason). */
  runFailed: 'RunFailed',
  /** Revocation checks (remediation): still revocable, kept (excluded or no longer stale), failed. */
  checkRevoke: 'RevocationCheckRevoke',
  checkKeep: 'RevocationCheckKeep',
  checkFailed: 'RevocationCheckFailed',
} as const;
export type SafetyMetric = (typeof SAFETY_METRICS)[keyof typeof SAFETY_METRICS];

/**
 * One EMF line with the given counts. Context fields (not metrics) help whoever opens the line
 * behind a data point.
 */
export function countMetricsLine<M extends string = SafetyMetric>(
  values: Partial<Record<M, number>>,
  timestamp: Date,
  context: Readonly<Record<string, string>> = {},
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: timestamp.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [[METRIC_DIMENSION.name]],
          Metrics: Object.keys(values).map((Name) => ({ Name, Unit: 'Count' })),
        },
      ],
    },
    [METRIC_DIMENSION.name]: METRIC_DIMENSION.value,
    ...values,
    ...context,
  };
}

export function emitCountMetrics<M extends string = SafetyMetric>(
  logger: Logger,
  values: Partial<Record<M, number>>,
  timestamp: Date,
  context: Readonly<Record<string, string>> = {},
): void {
  logger.write(JSON.stringify(countMetricsLine(values, timestamp, context)));
}
