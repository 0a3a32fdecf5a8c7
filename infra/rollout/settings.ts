/**
 * The rollout's own settings (cdk.json context or -c), parsed apart from infra/settings.ts so
 * both stay small; parseSettings adds these problems to its own list.
 */

export const ROLLOUT_SETTING_KEYS = [
  'rolloutAlarmAfterHours',
  'alarmEmails',
  'allowUnverifiedPartition',
] as const;
export type RolloutSettingKey = (typeof ROLLOUT_SETTING_KEYS)[number];

export const ROLLOUT_SETTING_DEFAULTS = {
  rolloutAlarmAfterHours: 24,
  alarmEmails: [] as readonly string[],
  allowUnverifiedPartition: false,
} as const;

export interface RolloutSettings {
  /** An account uncovered longer than this raises the rollout alarm. */
  readonly rolloutAlarmAfterHours: number;
  /** Subscribed to the alarm topic (each address confirms once). */
  readonly alarmEmails: readonly string[];
  /** Deploy in aws-cn / aws-us-gov although the runbook is not known to exist there. */
  readonly allowUnverifiedPartition: boolean;
}

const EMAIL = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;

export function parseRolloutSettings(context: Readonly<Record<string, unknown>>): {
  settings: RolloutSettings;
  problems: string[];
} {
  const problems: string[] = [];
  const has = (key: RolloutSettingKey) => context[key] !== undefined && context[key] !== null;

  let rolloutAlarmAfterHours: number = ROLLOUT_SETTING_DEFAULTS.rolloutAlarmAfterHours;
  if (has('rolloutAlarmAfterHours')) {
    const value = Number(context.rolloutAlarmAfterHours);
    if (
      Number.isInteger(value) &&
      value >= 2 &&
      value <= 720 &&
      typeof context.rolloutAlarmAfterHours !== 'boolean'
    ) {
      rolloutAlarmAfterHours = value;
    } else {
      problems.push(
        `rolloutAlarmAfterHours = ${JSON.stringify(context.rolloutAlarmAfterHours)}: must be a whole number of hours from 2 ` +
          '(two reconciliation periods) to 720, e.g. 24.',
      );
    }
  }

  const alarmEmails: string[] = [];
  if (has('alarmEmails')) {
    const raw = context.alarmEmails;
    const items = Array.isArray(raw)
      ? raw
      : typeof raw === 'string'
        ? raw.trim().startsWith('[')
          ? safeJsonArray(raw)
          : raw
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '')
        : undefined;
    if (items === undefined) {
      problems.push(
        `alarmEmails = ${JSON.stringify(raw)}: must be a list of e-mail addresses (JSON array, or comma-separated with -c).`,
      );
    }
    for (const item of items ?? []) {
      if (typeof item === 'string' && EMAIL.test(item)) {
        if (!alarmEmails.includes(item)) alarmEmails.push(item);
      } else {
        problems.push(
          `alarmEmails entry ${JSON.stringify(item)}: must be an e-mail address such as "ops@example.com".`,
        );
      }
    }
  }

  let allowUnverifiedPartition: boolean = ROLLOUT_SETTING_DEFAULTS.allowUnverifiedPartition;
  if (has('allowUnverifiedPartition')) {
    const value = context.allowUnverifiedPartition;
    if (value === true || value === 'true') allowUnverifiedPartition = true;
    else if (value === false || value === 'false') allowUnverifiedPartition = false;
    else problems.push(`allowUnverifiedPartition = ${JSON.stringify(value)}: must be true or false.`);
  }

  return { settings: { rolloutAlarmAfterHours, alarmEmails, allowUnverifiedPartition }, problems };
}

/** A JSON array, or undefined when the text is not one (reported by the caller). */
function safeJsonArray(text: string): unknown[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined; // not JSON: the caller reports the value
  }
  return Array.isArray(value) ? value : undefined;
}
