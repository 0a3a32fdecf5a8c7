import { InvalidRuleParameterError } from '../errors';

/** Warnings' rule parameters: days before revocation, and the user tags that name an owner. */

export const DEFAULT_WARN_DAYS_BEFORE_REVOKE = 7;
export const MAX_WARN_DAYS_BEFORE_REVOKE = 365;
export const DEFAULT_OWNER_TAG_KEYS: readonly string[] = ['owner', 'email'];
/** SNS carries at most 10 message attributes, and each owner tag becomes one (docs/aws-behaviour.md). */
export const MAX_OWNER_TAG_KEYS = 10;
/** Tag keys that are also valid SNS message attribute names (subscribers filter on them). */
const OWNER_TAG_KEY = /^[A-Za-z0-9_-](?:[A-Za-z0-9_.-]{0,126}[A-Za-z0-9_-])?$/;

export function parseWarnDays(value: unknown, source: string): number {
  const text =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  const days = text !== undefined && /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(days >= 0 && days <= MAX_WARN_DAYS_BEFORE_REVOKE)) {
    throw new InvalidRuleParameterError(
      `${source} must be a whole number of days from 0 (warnings off) to ${MAX_WARN_DAYS_BEFORE_REVOKE}, ` +
        `got ${JSON.stringify(value)}. Set it to e.g. "${DEFAULT_WARN_DAYS_BEFORE_REVOKE}".`,
    );
  }
  return days;
}

/** A list (JSON array from cdk.json) or a comma-separated string (the rule parameter, `-c`). */
export function parseOwnerTagKeys(value: unknown, source: string): readonly string[] {
  const items = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : undefined;
  const bad =
    items === undefined ? [value] : items.filter((k) => typeof k !== 'string' || !OWNER_TAG_KEY.test(k));
  if (items === undefined || bad.length > 0 || items.length > MAX_OWNER_TAG_KEYS) {
    throw new InvalidRuleParameterError(
      `${source} must list up to ${MAX_OWNER_TAG_KEYS} IAM tag keys of letters, digits, _ . - ` +
        `(they become SNS message attribute names), comma-separated, got ${JSON.stringify(value)}` +
        `${bad.length > 0 && items !== undefined ? ` (bad: ${JSON.stringify(bad)})` : ''}. E.g. "owner,email".`,
    );
  }
  return [...new Set(items as string[])];
}
