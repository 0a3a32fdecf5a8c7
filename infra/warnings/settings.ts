import {
  DEFAULT_OWNER_TAG_KEYS,
  parseOwnerTagKeys,
  parseWarnDays,
} from '../../evaluator/warnings/parameters';
import type { SettingReader } from '../setting-readers';

/** Revocation warnings' settings (docs/warnings.md). */
export interface WarningSettings {
  /** WarnDaysBeforeRevoke: 0 turns warnings off. */
  readonly daysBeforeRevoke: number;
  /** User tags copied into each warning and set as SNS message attributes. */
  readonly ownerTagKeys: readonly string[];
  /** Email addresses subscribed to the notification topic. */
  readonly notificationEmails: readonly string[];
  /**
   * The organization id (o-…): the central event bus admits only its accounts. Without it, an
   * organization deployment emits warnings in each account but routes none (synth warns).
   */
  readonly organizationId: string | undefined;
}

export const WARNING_SETTING_DEFAULTS = {
  warnDaysBeforeRevoke: 7,
  warnOwnerTagKeys: DEFAULT_OWNER_TAG_KEYS,
  notificationEmails: [] as readonly string[],
} as const;

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
// Deliberately loose: SNS validates the address and sends a confirmation anyway.
const EMAIL = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;

/** Reads the warning settings, adding one problem per bad value to the reader. */
export function readWarningSettings(read: SettingReader, maxAgeDays: number): WarningSettings {
  const { context, problem, has, list, ruleParameter } = read;
  const daysBeforeRevoke = ruleParameter(
    'warnDaysBeforeRevoke',
    () => parseWarnDays(context.warnDaysBeforeRevoke, 'warnDaysBeforeRevoke'),
    WARNING_SETTING_DEFAULTS.warnDaysBeforeRevoke,
  );
  if (daysBeforeRevoke >= maxAgeDays) {
    problem(
      'warnDaysBeforeRevoke',
      daysBeforeRevoke,
      `must be less than maxAgeDays (${maxAgeDays}): otherwise every credential is in the window from its first day. Use e.g. 7, or 0 for no warnings.`,
    );
  }
  const ownerTagKeys = ruleParameter(
    'warnOwnerTagKeys',
    () => parseOwnerTagKeys(list('warnOwnerTagKeys'), 'warnOwnerTagKeys'),
    WARNING_SETTING_DEFAULTS.warnOwnerTagKeys,
  );
  const notificationEmails: string[] = [];
  for (const email of list('notificationEmails') ?? WARNING_SETTING_DEFAULTS.notificationEmails) {
    if (typeof email === 'string' && EMAIL.test(email)) {
      if (!notificationEmails.includes(email)) notificationEmails.push(email);
    } else {
      problem(
        'notificationEmails',
        email,
        'each entry must be an email address, e.g. "security@example.com".',
      );
    }
  }
  let organizationId: string | undefined;
  if (has('organizationId')) {
    const value = context.organizationId;
    if (typeof value === 'string' && ORGANIZATION_ID.test(value)) organizationId = value;
    else {
      problem(
        'organizationId',
        value,
        'must be the organization id, "o-" and 10-32 lower-case letters or digits (`aws organizations describe-organization`).',
      );
    }
  }
  return { daysBeforeRevoke, ownerTagKeys, notificationEmails, organizationId };
}
