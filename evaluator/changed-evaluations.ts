import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import {
  type EvaluationWriter,
  type EvaluationWriterOptions,
  evaluationFor,
  listEvaluatedResourceIds,
  putBatch,
} from './aws/config-evaluations';
import { readRecordedVerdicts } from './aws/recorded-evaluations';
import type { Verdict } from './decision';
import { ConfigReadError } from './errors';
import type { CallCounter } from './facts/types';
import { errorLogFields, type Logger, logJson, METRIC_DIMENSION, METRIC_NAMESPACE } from './observability';
import { recordedAnnotation, verdictState } from './recorded-annotation';
import { goneUsers, type Recorded, type WriteReason, writeReason } from './write-decision';

/**
 * A run's evaluations, put only where Config does not already hold the verdict (write-decision.ts
 * decides): reads what is recorded first, then passes each verdict on to the writer or not,
 * closes the users that are gone, and makes sure the run ends with a PutEvaluations call that
 * carries its ResultToken even when nothing changed.
 */

export const RECORDED_UNREADABLE_METRIC = 'RecordedEvaluationsUnreadable';

export interface ChangedEvaluationsOptions {
  readonly config: ConfigServiceClient;
  readonly ruleName: string;
  readonly configCalls: CallCounter;
  readonly logger: Logger;
  readonly writer: EvaluationWriter;
  /** The writer's options: the closing empty PutEvaluations uses the same token and mode. */
  readonly writerOptions: EvaluationWriterOptions;
  readonly now: Date;
  readonly refreshDays: number;
  readonly maxAgeDays: number;
}

export type WriteCounts = Record<WriteReason | 'unchanged', number>;

export class ChangedEvaluations {
  readonly counts: WriteCounts = { 'recorded-unreadable': 0, new: 0, changed: 0, refresh: 0, unchanged: 0 };

  private constructor(
    private readonly options: ChangedEvaluationsOptions,
    private readonly recorded: Recorded,
  ) {}

  /** Reads the recorded verdicts; when they cannot be read, the run puts every verdict. */
  static async open(options: ChangedEvaluationsOptions): Promise<ChangedEvaluations> {
    try {
      return new ChangedEvaluations(
        options,
        await readRecordedVerdicts(options.config, options.ruleName, options.configCalls),
      );
    } catch (error) {
      if (!(error instanceof ConfigReadError)) throw error;
      logJson(options.logger, 'WARN', 'recorded evaluations unreadable; putting every verdict this run', {
        ...errorLogFields(error),
      });
      options.logger.write(JSON.stringify(unreadableMetric(options.now)));
      return new ChangedEvaluations(options, undefined);
    }
  }

  async offer(verdict: Verdict): Promise<void> {
    const reason = writeReason(
      { userId: verdict.userId, compliance: verdict.compliance, state: verdictState(verdict) },
      this.recorded,
      { now: this.options.now, refreshDays: this.options.refreshDays },
    );
    this.counts[reason ?? 'unchanged'] += 1;
    if (reason === undefined) return;
    const annotated = { ...verdict, annotation: recordedAnnotation(verdict, this.options.maxAgeDays) };
    await this.options.writer.add(evaluationFor(annotated, this.options.writerOptions.orderingTimestamp));
  }

  /**
   * Recorded users neither evaluated nor listed this run. Without the recorded verdicts, one more
   * listing is tried, and its ConfigReadError fails the run (after every verdict was put).
   */
  async gone(evaluated: ReadonlySet<string>, listed: ReadonlySet<string>): Promise<string[]> {
    const ids =
      this.recorded?.keys() ??
      (await listEvaluatedResourceIds(this.options.config, this.options.ruleName, this.options.configCalls));
    return goneUsers(ids, evaluated, listed);
  }

  /** Puts what is pending; with nothing put this run, one empty PutEvaluations closes it. */
  async end(): Promise<void> {
    await this.options.writer.flush();
    if (this.options.writer.put === 0) await putBatch([], this.options.writerOptions);
    logJson(this.options.logger, 'INFO', 'evaluations put where changed', {
      recordedReadable: this.recorded !== undefined,
      recorded: this.recorded?.size ?? null,
      evaluationsPut: this.options.writer.put,
      verdicts: { ...this.counts },
    });
  }
}

function unreadableMetric(at: Date): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [[METRIC_DIMENSION.name]],
          Metrics: [{ Name: RECORDED_UNREADABLE_METRIC, Unit: 'Count' }],
        },
      ],
    },
    [METRIC_DIMENSION.name]: METRIC_DIMENSION.value,
    [RECORDED_UNREADABLE_METRIC]: 1,
  };
}
