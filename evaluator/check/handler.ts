import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { ExclusionListMissingError, readExclusionParameter } from '../aws/exclusion-parameter';
import { decide, type Verdict } from '../decision';
import { readLiveUserFacts } from '../facts/per-user';
import { CallCounter } from '../facts/types';
import { errorLogFields, type Logger, logJson, stdoutLogger } from '../observability';
import { emitCountMetrics, SAFETY_METRICS } from '../safety-metrics';
import { parseCheckEvent } from './event';
import { findUserByResourceId } from './user-lookup';

/**
 * The revocation check: the remediation document asks it, right before the AWS runbook would
 * run, whether one user is still to be revoked. It reads the CURRENT exclusion list and the
 * user's CURRENT credentials and runs the same decide() as the periodic evaluation, so an
 * exclusion added or a credential used after the verdict wins.
 */

/** What the document branches on (its output selector reads `decision`). */
export const CHECK_DECISIONS = { revoke: 'REVOKE', keep: 'KEEP' } as const;
export type CheckDecision = (typeof CHECK_DECISIONS)[keyof typeof CHECK_DECISIONS];

export interface CheckResult {
  readonly decision: CheckDecision;
  /** stale: revoke; excluded / not-stale / user-not-found: keep. */
  readonly reason: 'stale' | 'excluded' | 'not-stale' | 'user-not-found';
  readonly resourceId: string;
  readonly userName: string | null;
  readonly exclusionParameterVersion: number | null;
  /** The decision's own explanation (the same text as a Config annotation). */
  readonly detail: string;
  readonly checkedAt: string;
}

/** Pure: a verdict (or no user) → the check's answer. */
export function checkOutcome(
  resourceId: string,
  verdict: Verdict | undefined,
  exclusionParameterVersion: number | undefined,
  now: Date,
): CheckResult {
  const base = {
    resourceId,
    exclusionParameterVersion: exclusionParameterVersion ?? null,
    checkedAt: now.toISOString(),
  };
  if (verdict === undefined) {
    return {
      ...base,
      decision: CHECK_DECISIONS.keep,
      reason: 'user-not-found',
      userName: null,
      detail: `No IAM user has resource id ${resourceId} any more: nothing to revoke.`,
    };
  }
  const reason = verdict.excluded
    ? 'excluded'
    : verdict.compliance === 'NON_COMPLIANT'
      ? 'stale'
      : 'not-stale';
  return {
    ...base,
    decision: reason === 'stale' ? CHECK_DECISIONS.revoke : CHECK_DECISIONS.keep,
    reason,
    userName: verdict.userName,
    detail: verdict.annotation,
  };
}

export interface CheckHandlerDeps {
  readonly iam: IAMClient;
  readonly ssm: SSMClient;
  readonly config: ConfigServiceClient;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /** @default stdoutLogger */
  readonly logger?: Logger;
}

/**
 * Any failure (bad event, list missing or unreadable, IAM or Config read failed, identity
 * mismatch) is logged at ERROR, counted, and rethrown: the invocation fails, so the document
 * revokes nothing and its execution fails where the operator sees it.
 */
export function createCheckHandler(deps: CheckHandlerDeps) {
  const clock = deps.clock ?? (() => new Date());
  const logger = deps.logger ?? stdoutLogger;
  return async function checkHandler(event: unknown): Promise<CheckResult> {
    const started = clock();
    const calls = new CallCounter();
    try {
      const input = parseCheckEvent(event);
      const exclusions = await readExclusionParameter(deps.ssm, input.exclusionParameterName, logger);
      const user = await findUserByResourceId(deps.config, deps.iam, calls, input.resourceId);
      const now = clock();
      const verdict =
        user === undefined
          ? undefined
          : decide(
              await readLiveUserFacts(deps.iam, calls, user, logger),
              { maxAgeDays: input.maxAgeDays, exclusions: exclusions.list },
              now,
            );
      const result = checkOutcome(input.resourceId, verdict, exclusions.version, now);
      logJson(logger, 'INFO', 'revocation check', { ...result, iamCalls: calls.snapshot() });
      emitCountMetrics(
        logger,
        { [result.decision === 'REVOKE' ? SAFETY_METRICS.checkRevoke : SAFETY_METRICS.checkKeep]: 1 },
        started,
      );
      return result;
    } catch (error) {
      logJson(logger, 'ERROR', 'revocation check failed: nothing revoked', {
        ...errorLogFields(error),
        event,
        iamCalls: calls.snapshot(),
      });
      emitCountMetrics(
        logger,
        {
          [SAFETY_METRICS.checkFailed]: 1,
          ...(error instanceof ExclusionListMissingError ? { [SAFETY_METRICS.exclusionListMissing]: 1 } : {}),
        },
        started,
      );
      throw error;
    }
  };
}
