import { InvalidRuleParameterError } from './errors';

/**
 * The Config rule's InputParameters keys. The conformance pack builder imports these, so the
 * pack and the Lambda can never disagree on a name. MaxCredentialUsageAge is also the runbook's
 * own parameter name.
 */
export const RULE_PARAMETER_KEYS = {
  maxAgeDays: 'MaxCredentialUsageAge',
  exclusionParameterName: 'ExclusionParameterName',
} as const;

export const DEFAULT_MAX_AGE_DAYS = 90;
export const DEFAULT_EXCLUSION_PARAMETER_NAME = '/iam-unused-user-cleanup/excluded-users';
export const MIN_MAX_AGE_DAYS = 1;
export const MAX_MAX_AGE_DAYS = 10_000;

export interface RuleParameters {
  readonly maxAgeDays: number;
  readonly exclusionParameterName: string;
}

/** SSM parameter path: leading slash, [a-zA-Z0-9_.-] segments, not under the reserved aws/ssm prefixes. */
const PARAMETER_PATH = /^(\/[a-zA-Z0-9_.-]+)+$/;

export function parseMaxAgeDays(value: unknown, source: string): number {
  const text =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || !/^\d+$/.test(text)) {
    throw new InvalidRuleParameterError(
      `${source} must be a whole number of days from ${MIN_MAX_AGE_DAYS} to ${MAX_MAX_AGE_DAYS}, got ${JSON.stringify(value)}. Set it to e.g. "90".`,
    );
  }
  const days = Number(text);
  if (days < MIN_MAX_AGE_DAYS || days > MAX_MAX_AGE_DAYS) {
    throw new InvalidRuleParameterError(
      `${source} must be from ${MIN_MAX_AGE_DAYS} to ${MAX_MAX_AGE_DAYS} days, got ${days}. Choose a value in that range.`,
    );
  }
  return days;
}

export function parseParameterPath(value: unknown, source: string): string {
  const valid =
    typeof value === 'string' &&
    value.length <= 1011 &&
    PARAMETER_PATH.test(value) &&
    !/^\/(aws|ssm)(\/|$)/i.test(value);
  if (!valid) {
    throw new InvalidRuleParameterError(
      `${source} must be an SSM parameter path such as "${DEFAULT_EXCLUSION_PARAMETER_NAME}" ` +
        `(leading "/", segments of letters, digits, _ . -), got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/**
 * A misspelt key (or one in the wrong case) would be ignored and its default silently used, e.g.
 * a 90-day limit where 365 was meant: refuse it, naming the key and the accepted ones.
 */
function rejectUnknownKeys(raw: Record<string, unknown>): void {
  const accepted: readonly string[] = Object.values(RULE_PARAMETER_KEYS);
  const unknown = Object.keys(raw).filter((key) => !accepted.includes(key));
  if (unknown.length === 0) return;
  const hint = (key: string) => {
    const same = accepted.find((a) => a.toLowerCase() === key.toLowerCase());
    return same === undefined
      ? JSON.stringify(key)
      : `${JSON.stringify(key)} (did you mean "${same}"? keys are case-sensitive)`;
  };
  throw new InvalidRuleParameterError(
    `Unknown rule parameter${unknown.length === 1 ? '' : 's'} ${unknown.map(hint).join(', ')}; accepted: ` +
      `${accepted.join(', ')}. Fix the rule's InputParameters (conformance pack template).`,
  );
}

/** Parses the event's `ruleParameters` JSON string; absent keys take the defaults, unknown keys fail. */
export function parseRuleParameters(ruleParametersJson: string | undefined): RuleParameters {
  let raw: Record<string, unknown> = {};
  if (ruleParametersJson !== undefined && ruleParametersJson.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(ruleParametersJson);
    } catch (cause) {
      throw new InvalidRuleParameterError(
        `ruleParameters is not valid JSON: ${JSON.stringify(ruleParametersJson.slice(0, 200))}. Check the rule's InputParameters.`,
        { cause },
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new InvalidRuleParameterError(
        `ruleParameters must be a JSON object, got ${JSON.stringify(parsed)}. Check the rule's InputParameters.`,
      );
    }
    raw = parsed as Record<string, unknown>;
  }
  rejectUnknownKeys(raw);
  const maxAge = raw[RULE_PARAMETER_KEYS.maxAgeDays];
  const path = raw[RULE_PARAMETER_KEYS.exclusionParameterName];
  return {
    maxAgeDays:
      maxAge === undefined
        ? DEFAULT_MAX_AGE_DAYS
        : parseMaxAgeDays(maxAge, `Rule parameter ${RULE_PARAMETER_KEYS.maxAgeDays}`),
    exclusionParameterName:
      path === undefined
        ? DEFAULT_EXCLUSION_PARAMETER_NAME
        : parseParameterPath(path, `Rule parameter ${RULE_PARAMETER_KEYS.exclusionParameterName}`),
  };
}
