import type { SSMClient } from '@aws-sdk/client-ssm';
import { ExclusionListMissingError } from './aws/exclusion-parameter';
import { previousLastOkTime, writeHeartbeat } from './aws/heartbeat-parameter';
import type { ExclusionList } from './exclusions';
import type { Heartbeat } from './heartbeat';
import { errorLogFields, type Logger, logJson } from './observability';
import { emitCountMetrics, SAFETY_METRICS } from './safety-metrics';

/**
 * What a run leaves behind for tamper evidence: the unmatched-entries warning, the heartbeat and
 * the safety metrics. The handler calls these at the end of a run, successful or not.
 */

export interface RunFacts {
  readonly ruleName: string;
  readonly strategy: string | null;
  readonly usersEvaluated: number;
  readonly nonCompliant: number;
  readonly excluded: number;
  readonly exclusionParameterName: string;
  readonly exclusionParameterVersion: number | undefined;
}

/** RunFacts as the handler fills them in during a run. */
export type RunProgress = { -readonly [K in keyof RunFacts]: RunFacts[K] };

/** The entries that matched none of the run's users, logged at WARN when there are any. */
export function reportUnmatchedEntries(
  logger: Logger,
  list: ExclusionList,
  users: Iterable<{ readonly userName: string; readonly userId: string }>,
): string[] {
  const unmatched = list.unmatched(users).map((entry) => entry.raw);
  if (unmatched.length > 0) {
    logJson(logger, 'WARN', 'exclusion entries match no user: they protect nobody (typo, or user deleted)', {
      unmatchedEntries: unmatched,
      unmatchedCount: unmatched.length,
    });
  }
  return unmatched;
}

/** A successful run: heartbeat ok, then the Heartbeat metric (only once the heartbeat is written). */
export async function finishRun(
  ssm: SSMClient,
  logger: Logger,
  run: RunFacts,
  unmatched: readonly string[],
  now: Date,
): Promise<void> {
  const time = now.toISOString();
  await writeHeartbeat(ssm, heartbeatOf(run, unmatched, { time, ok: true, lastOkTime: time, error: null }));
  emitCountMetrics(
    logger,
    { [SAFETY_METRICS.heartbeat]: 1, [SAFETY_METRICS.unmatchedEntries]: unmatched.length },
    now,
    { ConfigRuleName: run.ruleName },
  );
}

/**
 * A failed run: the metrics, then a heartbeat saying so. The run is already failing with its own
 * error, so a heartbeat that cannot be written is logged, not thrown over it.
 */
export async function failRun(
  ssm: SSMClient,
  logger: Logger,
  run: RunFacts,
  error: unknown,
  now: Date,
): Promise<void> {
  emitCountMetrics(
    logger,
    {
      [SAFETY_METRICS.runFailed]: 1,
      ...(error instanceof ExclusionListMissingError ? { [SAFETY_METRICS.exclusionListMissing]: 1 } : {}),
    },
    now,
    { ConfigRuleName: run.ruleName },
  );
  const described = errorLogFields(error);
  try {
    const lastOkTime = await previousLastOkTime(ssm, logger);
    await writeHeartbeat(
      ssm,
      heartbeatOf(run, [], {
        time: now.toISOString(),
        ok: false,
        lastOkTime,
        error: { name: String(described.errorName), message: String(described.errorMessage) },
      }),
    );
  } catch (heartbeatError) {
    logJson(logger, 'ERROR', 'failed run could not write its heartbeat', errorLogFields(heartbeatError));
  }
}

function heartbeatOf(
  run: RunFacts,
  unmatched: readonly string[],
  outcome: Pick<Heartbeat, 'time' | 'ok' | 'lastOkTime' | 'error'>,
): Heartbeat {
  return {
    schema: 1,
    ...outcome,
    ruleName: run.ruleName,
    strategy: run.strategy,
    usersEvaluated: run.usersEvaluated,
    nonCompliant: run.nonCompliant,
    excluded: run.excluded,
    exclusionParameterName: run.exclusionParameterName,
    exclusionParameterVersion: run.exclusionParameterVersion ?? null,
    unmatchedEntries: [...unmatched],
    unmatchedCount: unmatched.length,
  };
}
