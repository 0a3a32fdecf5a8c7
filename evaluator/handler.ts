import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SSMClient } from '@aws-sdk/client-ssm';
import {
  EvaluationWriter,
  evaluationFor,
  listEvaluatedResourceIds,
  notApplicableEvaluation,
  type RetryOptions,
} from './aws/config-evaluations';
import { readExclusionParameter } from './aws/exclusion-parameter';
import { lambdaDeadline } from './deadline';
import { decide } from './decision';
import { InvalidEventError } from './errors';
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
import { failRun, finishRun, type RunProgress, reportUnmatchedEntries } from './run-safety';

/** The periodic Config rule event (the fields this rule reads). */
export interface ConfigRuleEvent {
  /** JSON string: { messageType, notificationCreationTime, awsAccountId, ... }. */
  readonly invokingEvent: string;
  /** JSON string of the rule's InputParameters. */
  readonly ruleParameters?: string;
  readonly resultToken?: string;
  readonly configRuleName: string;
  readonly accountId?: string;
  /**
   * Not sent by Config: set it when invoking the function by hand to have Config check the
   * evaluations without recording them (PutEvaluations TestMode). The result token may then be omitted.
   */
  readonly testMode?: boolean;
}

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

interface ValidEvent {
  readonly ruleName: string;
  readonly accountId: string;
  readonly resultToken: string;
  readonly notificationCreationTime: Date;
  readonly testMode: boolean;
  readonly ruleParameters: string | undefined;
}

/** Result token Config expects in TestMode, where any non-empty value is accepted. */
const TEST_MODE_RESULT_TOKEN = 'TESTMODE';

/**
 * Wires one run: event → rule parameters → exclusion list (first: no list, no evaluations) →
 * facts → decision → evaluations in batches → NOT_APPLICABLE for users ListUsers no longer returns →
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
      if (!valid.testMode) {
        run = {
          ruleName: valid.ruleName,
          strategy: null,
          usersEvaluated: 0,
          nonCompliant: 0,
          excluded: 0,
          exclusionParameterName: '',
          exclusionParameterVersion: undefined,
        };
      }
      const parameters = parseRuleParameters(valid.ruleParameters);
      if (run) run.exclusionParameterName = parameters.exclusionParameterName;
      const read = await readExclusionParameter(deps.ssm, parameters.exclusionParameterName, logger);
      const exclusions = read.list;
      if (run) run.exclusionParameterVersion = read.version;

      const source = makeSource({ iam: deps.iam, logger });
      where = { ...where, strategy: source.strategy };
      if (run) run.strategy = source.strategy;
      const evaluations = new EvaluationWriter({
        config: deps.config,
        resultToken: valid.resultToken,
        orderingTimestamp: valid.notificationCreationTime,
        testMode: valid.testMode,
        configCalls,
        ...(deps.putRetry ? { retry: deps.putRetry } : {}),
      });
      writer = evaluations;
      const deadline = lambdaDeadline(context, {
        ...(deps.deadlineSafetyMarginMs === undefined ? {} : { safetyMarginMs: deps.deadlineSafetyMarginMs }),
        progress: () => `${progress.users} users evaluated, ${evaluations.put} evaluations put`,
      });
      const now = clock();
      const policy = { maxAgeDays: parameters.maxAgeDays, exclusions };
      const seen = new Set<string>();
      // Users ListUsers returned this run. One the source skipped (deleted or renamed mid-run) is
      // not closed now: it may still exist under its new name; the next run closes it if it is gone.
      const listed = new Set<string>();
      const counts = { compliant: 0, nonCompliant: 0, excluded: 0 };
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
        await evaluations.add(evaluationFor(verdict, valid.notificationCreationTime));
      }
      await evaluations.flush();

      deadline.check('closing users that no longer exist');
      const previous = await listEvaluatedResourceIds(deps.config, valid.ruleName, configCalls);
      const gone = [...previous].filter((id) => !seen.has(id) && !listed.has(id)).sort();
      for (const resourceId of gone) {
        await evaluations.add(notApplicableEvaluation(resourceId, valid.notificationCreationTime));
      }
      await evaluations.flush();

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

function validateEvent(event: unknown): ValidEvent {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new InvalidEventError(
      `Expected an AWS Config rule event object, got ${describe(event)}. This function is invoked by AWS Config.`,
    );
  }
  const e = event as Record<string, unknown>;
  if (typeof e.invokingEvent !== 'string') {
    throw new InvalidEventError(
      `The event has no invokingEvent string (got ${describe(e.invokingEvent)}); it is not from AWS Config.`,
    );
  }
  let invoking: unknown;
  try {
    invoking = JSON.parse(e.invokingEvent);
  } catch (cause) {
    throw new InvalidEventError(
      `invokingEvent is not valid JSON: ${JSON.stringify(e.invokingEvent.slice(0, 200))}.`,
      { cause },
    );
  }
  const inv = (invoking !== null && typeof invoking === 'object' ? invoking : {}) as Record<string, unknown>;
  if (inv.messageType !== 'ScheduledNotification') {
    throw new InvalidEventError(
      `Expected messageType "ScheduledNotification", got ${describe(inv.messageType)}. ` +
        'This rule is periodic: configure it with MaximumExecutionFrequency and no configuration-change trigger.',
    );
  }
  const created =
    typeof inv.notificationCreationTime === 'string' ? new Date(inv.notificationCreationTime) : undefined;
  if (!created || Number.isNaN(created.getTime())) {
    throw new InvalidEventError(
      `invokingEvent.notificationCreationTime must be an ISO 8601 time, got ${describe(inv.notificationCreationTime)}.`,
    );
  }
  if (typeof e.configRuleName !== 'string' || e.configRuleName === '') {
    throw new InvalidEventError(`The event has no configRuleName (got ${describe(e.configRuleName)}).`);
  }
  const testMode = e.testMode === true;
  const token = typeof e.resultToken === 'string' && e.resultToken !== '' ? e.resultToken : undefined;
  if (token === undefined && !testMode) {
    throw new InvalidEventError(
      `The event has no resultToken (got ${describe(e.resultToken)}); Config needs it to accept evaluations. ` +
        'Invoke by hand only with "testMode": true.',
    );
  }
  const accountId =
    typeof e.accountId === 'string'
      ? e.accountId
      : typeof inv.awsAccountId === 'string'
        ? inv.awsAccountId
        : '';
  if (e.ruleParameters !== undefined && typeof e.ruleParameters !== 'string') {
    throw new InvalidEventError(`ruleParameters must be a JSON string, got ${describe(e.ruleParameters)}.`);
  }
  return {
    ruleName: e.configRuleName,
    accountId,
    resultToken: token ?? TEST_MODE_RESULT_TOKEN,
    notificationCreationTime: created,
    testMode,
    ruleParameters: e.ruleParameters,
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
