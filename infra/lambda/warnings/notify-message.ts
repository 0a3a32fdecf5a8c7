import type { MessageAttributeValue, PublishInput } from '@aws-sdk/client-sns';
import type { WarningDetail } from '../../../evaluator/warnings/event';

/** SNS subjects: at most 100 printable ASCII characters. */
const SUBJECT_MAX = 100;

/** The message attribute every notification carries, so subscribers can keep only one kind. */
export const NOTIFICATION_TYPE_ATTRIBUTE = 'notificationType';

/**
 * One warning as an SNS message: readable text first, the event detail as JSON after it, and the
 * owner tags (plus account and type) as message attributes so a subscription filter policy such
 * as {"owner": ["team-a"]} delivers only that owner's warnings. Pure.
 */
export function warningNotification(topicArn: string, detail: WarningDetail): PublishInput {
  const what =
    detail.credential.type === 'password'
      ? 'console password'
      : `access key ${detail.credential.accessKeyId}`;
  const lastUse = detail.lastUsed === null ? 'never used' : `last used ${detail.lastUsed.slice(0, 10)}`;
  const subject = `IAM ${what} of ${detail.userName} (${detail.accountId}) revoked on ${detail.revokeOn}`;
  const message = [
    `The ${what} of IAM user ${detail.userName} in account ${detail.accountId} (${lastUse}) will be revoked on ` +
      `${detail.revokeOn}, in ${detail.daysLeft} day${detail.daysLeft === 1 ? '' : 's'}, unless it is used before then ` +
      'or the user is added to the exclusion list (`iam-unused exclusions add`).',
    ownerLine(detail),
    '',
    JSON.stringify(detail, null, 2),
  ].join('\n');
  const attributes: Record<string, MessageAttributeValue> = {
    [NOTIFICATION_TYPE_ATTRIBUTE]: text('warning'),
    accountId: text(detail.accountId),
  };
  for (const [key, value] of Object.entries(detail.ownerTags)) {
    // SNS rejects empty attribute values; an empty tag routes nowhere anyway.
    if (value.trim() !== '' && !(key in attributes)) attributes[key] = text(value);
  }
  return {
    TopicArn: topicArn,
    Subject: asciiSubject(subject),
    Message: message,
    MessageAttributes: attributes,
  };
}

function ownerLine(detail: WarningDetail): string {
  if (detail.ownerTagsUnavailable) return 'Owner: unknown (the user tags could not be read).';
  const tags = Object.entries(detail.ownerTags).map(([k, v]) => `${k}=${v}`);
  return tags.length === 0 ? 'Owner: no owner tag on the user.' : `Owner: ${tags.join(', ')}`;
}

function text(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: value };
}

/** Printable ASCII, at most 100 characters (SNS's rule for subjects). */
export function asciiSubject(subject: string): string {
  const ascii = subject.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= SUBJECT_MAX ? ascii : `${ascii.slice(0, SUBJECT_MAX - 3)}...`;
}
