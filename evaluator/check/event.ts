import { InvalidEventError } from '../errors';
import { isUserId } from '../exclusions';
import { parseMaxAgeDays, parseParameterPath, RULE_PARAMETER_KEYS } from '../rule-parameters';

/**
 * The revocation check's input, sent by the remediation document (aws:invokeLambdaFunction
 * InputPayload). The keys are the runbook's own parameter names, so the document passes its
 * parameters through unchanged; infra/remediation-document.ts imports them from here.
 */
export const CHECK_EVENT_KEYS = {
  resourceId: 'IAMResourceId',
  maxAgeDays: RULE_PARAMETER_KEYS.maxAgeDays,
  exclusionParameterName: RULE_PARAMETER_KEYS.exclusionParameterName,
} as const;

export interface CheckEvent {
  /** The Config resource id of the user (its UserId). */
  readonly resourceId: string;
  readonly maxAgeDays: number;
  readonly exclusionParameterName: string;
}

/** Validates the check event; every problem is an InvalidEventError naming the key and the value. */
export function parseCheckEvent(event: unknown): CheckEvent {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new InvalidEventError(
      `The revocation check expects an object with ${Object.values(CHECK_EVENT_KEYS).join(', ')}, got ${JSON.stringify(event)}.`,
    );
  }
  const e = event as Record<string, unknown>;
  const accepted = Object.values(CHECK_EVENT_KEYS) as string[];
  const unknown = Object.keys(e).filter((key) => !accepted.includes(key));
  if (unknown.length > 0) {
    throw new InvalidEventError(
      `Unknown key(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')} in the revocation check event; ` +
        `accepted keys: ${accepted.join(', ')}.`,
    );
  }
  const resourceId = e[CHECK_EVENT_KEYS.resourceId];
  if (typeof resourceId !== 'string' || !isUserId(resourceId)) {
    throw new InvalidEventError(
      `${CHECK_EVENT_KEYS.resourceId} must be an IAM UserId (AIDA...), got ${JSON.stringify(resourceId)}.`,
    );
  }
  return {
    resourceId,
    maxAgeDays: parseMaxAgeDays(e[CHECK_EVENT_KEYS.maxAgeDays], CHECK_EVENT_KEYS.maxAgeDays),
    exclusionParameterName: parseParameterPath(
      e[CHECK_EVENT_KEYS.exclusionParameterName],
      CHECK_EVENT_KEYS.exclusionParameterName,
    ),
  };
}
