import { InvalidRuleParameterError } from '../evaluator/errors';
import type { SettingKey } from './setting-keys';

export const ACCOUNT_ID = /^\d{12}$/;

/**
 * Reads single settings from the CDK context and collects every problem instead of stopping at
 * the first, so the user sees all of them at once. Each reader returns the fallback when the key
 * is absent or wrong. `-c` values arrive as strings, cdk.json values as JSON.
 */
export class SettingReader {
  readonly problems: string[] = [];

  constructor(readonly context: Readonly<Record<string, unknown>>) {}

  /** Records one problem: the key, the value, the fix. */
  problem = (key: SettingKey, value: unknown, fix: string): void => {
    this.problems.push(`${key} = ${JSON.stringify(value)}: ${fix}`);
  };

  has = (key: SettingKey): boolean => this.context[key] !== undefined && this.context[key] !== '';

  oneOf = <T extends string>(key: SettingKey, allowed: readonly T[], fallback: T): T => {
    if (!this.has(key)) return fallback;
    const value = this.context[key];
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.problem(key, value, `must be one of ${allowed.join(', ')}.`);
    return fallback;
  };

  integer = (key: SettingKey, min: number, max: number, fallback: number): number => {
    if (!this.has(key)) return fallback;
    const value = this.context[key];
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
    const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    this.problem(key, value, `must be a whole number from ${min} to ${max}, e.g. ${fallback}.`);
    return fallback;
  };

  boolean = (key: SettingKey, fallback: boolean): boolean => {
    if (!this.has(key)) return fallback;
    const value = this.context[key];
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    this.problem(key, value, 'must be true or false.');
    return fallback;
  };

  accountId = (key: SettingKey, required: boolean): string | undefined => {
    if (!this.has(key)) {
      if (required) {
        this.problem(key, this.context[key], 'is required: the 12-digit account id, e.g. "111111111111".');
      }
      return undefined;
    }
    const value = this.context[key];
    if (typeof value === 'string' && ACCOUNT_ID.test(value)) return value;
    this.problem(key, value, 'must be a 12-digit account id as a string, e.g. "111111111111".');
    return undefined;
  };

  /** A list from JSON (cdk.json) or from a comma-separated or JSON-array string (-c). */
  list = (key: SettingKey): readonly unknown[] | undefined => {
    if (!this.has(key)) return undefined;
    const value = this.context[key];
    if (Array.isArray(value)) return value;
    if (typeof value === 'string') {
      const text = value.trim();
      if (text.startsWith('[')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined; // not JSON: reported just below, with the value
        }
        if (Array.isArray(parsed)) return parsed;
        this.problem(key, value, 'must be a JSON array of strings or a comma-separated list.');
        return [];
      }
      return text === '' ? [] : text.split(',').map((s) => s.trim());
    }
    this.problem(key, value, 'must be a list of strings (JSON array, or comma-separated with -c).');
    return [];
  };

  /** A setting the evaluator also reads as a rule parameter: its own parser, its own message. */
  ruleParameter = <T>(key: SettingKey, parse: () => T, fallback: T): T => {
    if (!this.has(key)) return fallback;
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof InvalidRuleParameterError)) throw error;
      this.problems.push(error.message);
      return fallback;
    }
  };
}
