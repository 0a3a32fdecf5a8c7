import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { Verdict } from '../decision';
import { errorText } from '../error-text';
import { CallCounter } from '../facts/types';
import { type Logger, logJson } from '../observability';
import { type WarningDetail, warningDetail, warningEntry } from './event';
import { emitWarningMetrics, type WarningStats } from './metrics';
import { readOwnerTags } from './owner-tags';
import { putEventsInBatches } from './put-events';
import {
  type LastDelivered,
  readLastDelivered,
  WARNING_STATE_PARAMETER_NAME,
  writeLastDelivered,
} from './state';
import { type CredentialWarning, type WarnPolicy, warningsFor } from './window';

export interface WarningRunDeps {
  readonly events: EventBridgeClient;
  readonly iam: IAMClient;
  readonly ssm: SSMClient;
  readonly logger: Logger;
  /** @default WARNING_STATE_PARAMETER_NAME */
  readonly stateParameterName?: string;
}

export interface WarningRunOptions extends WarnPolicy {
  readonly ownerTagKeys: readonly string[];
  /** The `now` of the run's decisions. */
  readonly now: Date;
  readonly accountId: string;
  /** TestMode run: log what would be sent, send nothing, record nothing. */
  readonly testMode: boolean;
}

/**
 * One run's warnings. The handler hands it every verdict (pure, cheap: only verdicts with a
 * credential in the window are kept) and calls `deliver` once the evaluations are written. All
 * I/O happens in `deliver`, which never throws: a warning failure is logged and counted, changes
 * no verdict, and is retried by the next run because the last-delivered instant does not move.
 */
export class WarningRun {
  private readonly inWindow: Verdict[] = [];

  constructor(
    private readonly deps: WarningRunDeps,
    private readonly options: WarningRunOptions,
  ) {}

  consider(verdict: Verdict): void {
    if (warningsFor(verdict, this.options, this.options.now, undefined).length > 0)
      this.inWindow.push(verdict);
  }

  async deliver(): Promise<WarningStats> {
    const stats = {
      inWindow: 0,
      sent: 0,
      failed: 0,
      putEventsCalls: 0,
      listUserTagsCalls: 0,
      delivered: false,
    };
    if (this.options.warnDays <= 0) return stats;
    const calls = new CallCounter();
    // Messages for the log; `failures` counts rejected entries, unread tags and state errors.
    const errors: string[] = [];
    let failures = 0;
    try {
      const warnings = await this.due();
      stats.inWindow = warnings.length;
      const details = await this.withOwnerTags(warnings, calls, errors);
      failures += errors.length;
      if (this.options.testMode) {
        logJson(this.deps.logger, 'INFO', 'warnings not sent (test mode)', { warnings: details });
      } else {
        const put = await putEventsInBatches(
          this.deps.events,
          details.map((d) => warningEntry(d, this.options.now)),
          calls,
        );
        stats.sent = put.sent;
        stats.failed = put.failed;
        errors.push(...put.errors);
        failures += put.failed;
        if (put.failed === 0) {
          await writeLastDelivered(this.deps.ssm, this.stateName(), this.options.now);
          stats.delivered = true;
        }
      }
    } catch (error) {
      // Only the state parameter throws here (WarningStateError): logged, counted, retried next run.
      errors.push(errorText(error));
      failures++;
    }
    const snapshot = calls.snapshot();
    const done = {
      ...stats,
      putEventsCalls: snapshot.PutEvents ?? 0,
      listUserTagsCalls: snapshot.ListUserTags ?? 0,
    };
    logJson(this.deps.logger, errors.length > 0 ? 'WARN' : 'INFO', 'warnings run', {
      ...done,
      ...(errors.length > 0 ? { errors: errors.slice(0, 10), retry: 'next run' } : {}),
    });
    emitWarningMetrics(this.deps.logger, { ...done, failures }, this.options.now);
    return done;
  }

  /** The warnings this run owes, after the last delivered run (read once, here). */
  private async due(): Promise<CredentialWarning[]> {
    const last: LastDelivered = await readLastDelivered(this.deps.ssm, this.stateName());
    if (last.kind === 'invalid') {
      logJson(this.deps.logger, 'WARN', 'warnings state is not an ISO instant; treated as absent', {
        parameter: this.stateName(),
        value: last.value.slice(0, 100),
      });
    }
    const at = last.kind === 'found' ? last.at : undefined;
    return this.inWindow.flatMap((v) => warningsFor(v, this.options, this.options.now, at));
  }

  /** ListUserTags once per warned user; a failure sends the warning marked unrouted, and is counted. */
  private async withOwnerTags(
    warnings: readonly CredentialWarning[],
    calls: CallCounter,
    errors: string[],
  ): Promise<WarningDetail[]> {
    const tagsByUser = new Map<string, Record<string, string> | undefined>();
    for (const w of warnings) {
      if (tagsByUser.has(w.userName) || this.options.ownerTagKeys.length === 0) continue;
      try {
        tagsByUser.set(
          w.userName,
          await readOwnerTags(this.deps.iam, w.userName, this.options.ownerTagKeys, calls),
        );
      } catch (error) {
        errors.push(`ListUserTags ${w.userName}: ${errorText(error)}`);
        tagsByUser.set(w.userName, undefined);
      }
    }
    return warnings.map((w) =>
      warningDetail(
        w,
        this.options.accountId,
        this.options.ownerTagKeys.length === 0 ? {} : tagsByUser.get(w.userName),
      ),
    );
  }

  private stateName(): string {
    return this.deps.stateParameterName ?? WARNING_STATE_PARAMETER_NAME;
  }
}
