import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { WarningDetail } from '../../evaluator/warnings/event';
import { requiredEnvironment } from './warnings/environment';
import { warningNotification } from './warnings/notify-message';

/** The fields of the EventBridge event this function reads. */
export interface WarningEvent {
  readonly detail: WarningDetail;
}

/**
 * Central bus → this function → the notification topic: EventBridge's SNS target cannot set
 * message attributes (docs/aws-behaviour.md), and the owner tags must be attributes so subscribers can filter by owner.
 * A failed Publish fails the invocation; Lambda's asynchronous retries send it again.
 */
export function createNotifyHandler(deps: { readonly sns: SNSClient; readonly topicArn: string }) {
  return async function handler(event: WarningEvent): Promise<{ messageId: string | undefined }> {
    const out = await deps.sns.send(new PublishCommand(warningNotification(deps.topicArn, event.detail)));
    return { messageId: out.MessageId };
  };
}

let production: ReturnType<typeof createNotifyHandler> | undefined;

export async function handler(event: WarningEvent): Promise<{ messageId: string | undefined }> {
  production ??= createNotifyHandler({
    sns: new SNSClient({ retryMode: 'adaptive', maxAttempts: 5 }),
    topicArn: requiredEnvironment('TOPIC_ARN'),
  });
  return production(event);
}
