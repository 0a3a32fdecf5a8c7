/**
 * What a run tells its operators: one structured JSON line per event worth reading, one summary
 * line per run, and the same numbers as CloudWatch metrics in Embedded Metric Format (EMF) —
 * CloudWatch Logs turns an EMF line into metrics, so no metrics client or extra dependency is needed.
 */

import { errorText, NON_ERROR_NAME } from './error-text';

/** Where log lines go. The Lambda writes to stdout; tests collect the lines. */
export interface Logger {
  /** Writes one complete line (a JSON document, without the trailing newline). */
  write(line: string): void;
}

/**
 * Raw stdout rather than console.log: the Lambda runtime prefixes console output with a timestamp
 * and request id (or wraps it in its own JSON), while a bare JSON line is what EMF extraction and
 * Logs Insights read most reliably.
 */
export const stdoutLogger: Logger = {
  write: (line) => {
    process.stdout.write(`${line}\n`);
  },
};

export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

export function logJson(
  logger: Logger,
  level: LogLevel,
  message: string,
  fields: Readonly<Record<string, unknown>> = {},
): void {
  logger.write(JSON.stringify({ level, message, ...fields }));
}

/** CloudWatch namespace of the evaluator's metrics. */
export const METRIC_NAMESPACE = 'IamUnusedCleanup';
/** The single dimension on every metric, so all runs in an account land in one series per metric. */
export const METRIC_DIMENSION = { name: 'Service', value: 'iam-unused-cleanup-evaluator' } as const;

export interface RunSummary {
  readonly ruleName: string;
  readonly accountId: string;
  readonly strategy: string;
  readonly maxAgeDays: number;
  readonly exclusionEntries: number;
  /** Users evaluated (one evaluation each). */
  readonly users: number;
  readonly compliant: number;
  readonly nonCompliant: number;
  /** Excluded users (counted in `compliant` too, since they are reported COMPLIANT). */
  readonly excluded: number;
  /** Users evaluated earlier that no longer exist, closed as NOT_APPLICABLE. */
  readonly notApplicable: number;
  readonly evaluationsPut: number;
  readonly iamCalls: { readonly byOperation: Readonly<Record<string, number>>; readonly total: number };
  readonly configCalls: { readonly byOperation: Readonly<Record<string, number>>; readonly total: number };
  readonly durationMs: number;
  readonly testMode: boolean;
}

export const SUMMARY_MESSAGE = 'evaluation run complete';

export function logSummary(logger: Logger, summary: RunSummary): void {
  logJson(logger, 'INFO', SUMMARY_MESSAGE, { ...summary });
}

interface MetricDefinition {
  readonly Name: string;
  readonly Unit: 'Count' | 'Milliseconds';
}

/** Metric name for one IAM operation's call count, e.g. `IamCalls.ListUsers`. */
export function iamCallsMetricName(operation: string): string {
  return `IamCalls.${operation}`;
}

/**
 * The EMF document for a run: every metric is a top-level number, declared in `_aws`.
 * See CloudWatch's "Embedded metric format specification".
 */
export function embeddedMetrics(summary: RunSummary, timestamp: Date): Record<string, unknown> {
  const values: Record<string, number> = {
    Users: summary.users,
    NonCompliant: summary.nonCompliant,
    Excluded: summary.excluded,
    NotApplicable: summary.notApplicable,
    IamCalls: summary.iamCalls.total,
  };
  for (const [operation, count] of Object.entries(summary.iamCalls.byOperation)) {
    values[iamCallsMetricName(operation)] = count;
  }
  const metrics: MetricDefinition[] = Object.keys(values).map((Name) => ({ Name, Unit: 'Count' }));
  metrics.push({ Name: 'DurationMs', Unit: 'Milliseconds' });
  return {
    _aws: {
      Timestamp: timestamp.getTime(),
      CloudWatchMetrics: [
        { Namespace: METRIC_NAMESPACE, Dimensions: [[METRIC_DIMENSION.name]], Metrics: metrics },
      ],
    },
    [METRIC_DIMENSION.name]: METRIC_DIMENSION.value,
    ...values,
    DurationMs: summary.durationMs,
    // Not metrics: context for whoever opens the log line behind a data point.
    ConfigRuleName: summary.ruleName,
    AccountId: summary.accountId,
    Strategy: summary.strategy,
  };
}

export function emitMetrics(logger: Logger, summary: RunSummary, timestamp: Date): void {
  logger.write(JSON.stringify(embeddedMetrics(summary, timestamp)));
}

/** One structured line for a failed run: what failed, why (the cause chain), and how far it got. */
export function logFailure(logger: Logger, error: unknown, context: Readonly<Record<string, unknown>>): void {
  logJson(logger, 'ERROR', 'evaluation run failed', {
    ...errorLogFields(error),
    ...context,
  });
}

/** The log fields for a thrown value: name, message and up to five causes. */
export function errorLogFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { errorName: NON_ERROR_NAME, errorMessage: String(error) };
  const causes: string[] = [];
  let cause: unknown = error.cause;
  // A bounded walk: causes can in principle be circular.
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    causes.push(errorText(cause));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return {
    errorName: error.name,
    errorMessage: error.message,
    ...(causes.length > 0 ? { causes } : {}),
  };
}
