import { InvalidEventError } from './errors';

/**
 * The periodic Config rule event (the fields this rule reads). validateEvent checks it field by
 * field: anything else is an InvalidEventError naming the field and what was expected.
 */
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

/** The event's fields, checked. */
export interface ValidEvent {
  readonly ruleName: string;
  readonly accountId: string;
  readonly resultToken: string;
  readonly notificationCreationTime: Date;
  readonly testMode: boolean;
  readonly ruleParameters: string | undefined;
}

/** Result token Config expects in TestMode, where any non-empty value is accepted. */
const TEST_MODE_RESULT_TOKEN = 'TESTMODE';

export function validateEvent(event: unknown): ValidEvent {
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
