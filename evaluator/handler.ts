import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SSMClient } from '@aws-sdk/client-ssm';
import {
  EvaluationWriter,
  type EvaluationWriterOptions,
  notApplicableEvaluation,
  type RetryOptions,
} from './aws/config-evaluations';
import { readExclusionParameter } from './aws/exclusion-parameter';
import { ChangedEvaluations } from './changed-evaluations';
import { validateEvent } from './config-event';
import { DEFAULT_SAFETY_MARGIN_MS, lambdaDeadline } from './deadline';
import { decide } from './decision';
import { createCredentialReportFirstWithFallback } from './facts/credential-report-first';
import { CallCounter, type UserFactsSource } from './facts/types';
import {
  emitMetrics,
  type Logger,
  logFailure,
  logSummary,
  type RunSummary,
  stdoutLogger,
} from './observability';
import { parseRuleParameters } from './rule-parameters';
import { failRun, finishRun, type RunProgress, reportUnmatchedEntries, startRun } from './run-safety';
import { WarningRun } from './warnings/run';

export type { ConfigRuleEvent } from './config-event';

export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

export interface FactsSourceDeps {
  readonly iam: IAMClient;
  readonly logger: Logger;
}

export type FactsSourceFactory = (deps: FactsSourceDeps) => UserFactsSource;

/**
 * The facts source a run uses unless one is injected: the credential report first, confirmed live,
 * with per-user live reads when the report cannot be had.
 */
export const defaultFactsSource: FactsSourceFactory = createCredentialReportFirstWithFallback;

export interface HandlerDeps {
  readonly iam: IAMClient;
  readonly ssm: SSMClient;
  readonly config: ConfigServiceClient;
  /** Revocation warnings go out through it (evaluator/warnings/); without it no warning is sent. */
  readonly events?: EventBridgeClient;
  /** @default defaultFactsSource */
  readonly factsSource?: FactsSourceFactory;
  /** The current time: both the `now` of every decision and the run's duration. @default () => new Date() */
  readonly clock?: () => Date;
  /** @default stdoutLogger */
  readonly logger?: Logger;
  /** @default DEFAULT_SAFETY_MARGIN_MS */
  readonly deadlineSafetyMarginMs?: number;
  /** Backoff for re-sending FailedEvaluations. */
  readonly putRetry?: RetryOptions;
}

/** Warnings start only with this much time left; otherwise the next run sends them. */
const WARNINGS_MIN_REMAINING_MS = 60_000;

/**
 * Wires one run: event → rule parameters → exclusion list (first: no list, no evaluations) →
 * recorded verdicts → facts → decision → the changed evaluations in batches → NOT_APPLICABLE for
 * users ListUsers no longer returns →
 * one summary line and EMF metrics. Any failure is logged once and rethrown, so the invocation
 * fails and the Errors alarm sees it.
 */
export function createHandler(deps: HandlerDeps) {
  const clock = deps.clock ?? (() => new Date());
  const logger = deps.logger ?? stdoutLogger;
  const makeSource = deps.factsSource ?? defaultFactsSource;

  return async function handler(event: unknown, context: LambdaContextLike): Promise<RunSummary> {
    const started = clock();
    const iamCalls = new CallCounter();
    const configCalls = new CallCounter();
    const progress = { users: 0 };
    let writer: EvaluationWriter | undefined;
    let where: { ruleName?: string; accountId?: string; strategy?: string } = {};
    // What the heartbeat reports; undefined until the event is known valid (and not a test).
    let run: RunProgress | undefined;
    try {
      const valid = validateEvent(event);
      where = { ruleName: valid.ruleName, accountId: valid.accountId };
      run = valid.testMode ? undefined : startRun(valid.ruleName);
      const parameters = parseRuleParameters(valid.ruleParameters);
      if (run) run.exclusionParameterName = parameters.exclusionParameterName;
      const read = await readExclusionParameter(deps.ssm, parameters.exclusionParameterName, logger);
      const exclusions = read.list;
      if (run) run.exclusionParameterVersion = read.version;
      const source = makeSource({ iam: deps.iam, logger });
      where = { ...where, strategy: source.strategy };
      if (run) run.strategy = source.strategy;
      const writerOptions: EvaluationWriterOptions = {
        config: deps.config,
        resultToken: valid.resultToken,
        orderingTimestamp: valid.notificationCreationTime,
        testMode: valid.testMode,
        configCalls,
        ...(deps.putRetry ? { retry: deps.putRetry } : {}),
      };
      const evaluations = new EvaluationWriter(writerOptions);
      writer = evaluations;
      const deadline = lambdaDeadline(context, {
        ...(deps.deadlineSafetyMarginMs === undefined ? {} : { safetyMarginMs: deps.deadlineSafetyMarginMs }),
        progress: () => `${progress.users} users evaluated, ${evaluations.put} evaluations put`,
      });
      const now = clock();
      const policy = { maxAgeDays: parameters.maxAgeDays, exclusions };
      // Only verdicts Config does not hold yet are put (write-decision.ts).
      const changes = await ChangedEvaluations.open({
        config: deps.config,
        ruleName: valid.ruleName,
        configCalls,
        logger,
        writer: evaluations,
        writerOptions,
        now,
        refreshDays: parameters.refreshDays,
        maxAgeDays: parameters.maxAgeDays,
      });
      const seen = new Set<string>();
      // Users ListUsers returned this run. One the source skipped (deleted or renamed mid-run) is
      // not closed now: it may still exist under its new name; the next run closes it if it is gone.
      const listed = new Set<string>();
      const counts = { compliant: 0, nonCompliant: 0, excluded: 0 };
      const warnings = deps.events
        ? new WarningRun(
            { events: deps.events, iam: deps.iam, ssm: deps.ssm, logger },
            {
              maxAgeDays: parameters.maxAgeDays,
              warnDays: parameters.warnDaysBeforeRevoke,
              ownerTagKeys: parameters.warnOwnerTagKeys,
              now,
              accountId: valid.accountId,
              testMode: valid.testMode,
            },
          )
        : undefined;
      const evaluatedUsers: { userName: string; userId: string }[] = [];

      for await (const user of source.gather({
        now,
        maxAgeDays: parameters.maxAgeDays,
        deadline,
        iamCalls,
        usersListed: (userIds) => {
          for (const id of userIds) listed.add(id);
        },
      })) {
        const verdict = decide(user, policy, now);
        seen.add(user.userId);
        evaluatedUsers.push({ userName: user.userName, userId: user.userId });
        progress.users++;
        if (verdict.compliance === 'NON_COMPLIANT') counts.nonCompliant++;
        else counts.compliant++;
        if (verdict.excluded) counts.excluded++;
        warnings?.consider(verdict);
        await changes.offer(verdict);
      }
      await evaluations.flush();

      deadline.check('closing users that no longer exist');
      const gone = await changes.gone(seen, listed);
      for (const resourceId of gone) {
        await evaluations.add(notApplicableEvaluation(resourceId, valid.notificationCreationTime));
      }
      await changes.end();
      // After the evaluations, and never throwing: a warning failure blocks no verdict.
      if (warnings && deadline.remainingMs() > DEFAULT_SAFETY_MARGIN_MS + WARNINGS_MIN_REMAINING_MS)
        await warnings.deliver();

      const summary: RunSummary = {
        ruleName: valid.ruleName,
        accountId: valid.accountId,
        strategy: source.strategy,
        maxAgeDays: parameters.maxAgeDays,
        exclusionEntries: exclusions.size,
        users: progress.users,
        ...counts,
        notApplicable: gone.length,
        evaluationsPut: evaluations.put,
        iamCalls: { byOperation: iamCalls.snapshot(), total: iamCalls.total },
        configCalls: { byOperation: configCalls.snapshot(), total: configCalls.total },
        durationMs: clock().getTime() - started.getTime(),
        testMode: valid.testMode,
      };
      logSummary(logger, summary);
      emitMetrics(logger, summary, started);
      const unmatched = reportUnmatchedEntries(logger, exclusions, evaluatedUsers);
      if (run) {
        Object.assign(run, {
          usersEvaluated: summary.users,
          nonCompliant: counts.nonCompliant,
          excluded: counts.excluded,
        });
        await finishRun(deps.ssm, logger, run, unmatched, clock());
      }
      return summary;
    } catch (error) {
      // Heartbeat and metrics first, so the ERROR line stays the run's last word.
      if (run) {
        Object.assign(run, { usersEvaluated: progress.users });
        await failRun(deps.ssm, logger, run, error, clock());
      }
      logFailure(logger, error, {
        ...where,
        usersEvaluated: progress.users,
        evaluationsPut: writer?.put ?? 0,
        iamCalls: { byOperation: iamCalls.snapshot(), total: iamCalls.total },
        configCalls: { byOperation: configCalls.snapshot(), total: configCalls.total },
        durationMs: clock().getTime() - started.getTime(),
      });
      throw error;
    }
  };
}
