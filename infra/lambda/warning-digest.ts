import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { MS_PER_DAY } from '../../evaluator/decision';
import { buildDigest, DUE_WITHIN_DAYS, digestNotification } from './warnings/digest';
import { requiredEnvironment } from './warnings/environment';
import { type LogsInsightsApi, readArchive, runtimeLogsInsightsApi } from './warnings/logs-archive';

export interface DigestDeps {
  readonly sns: SNSClient;
  readonly logs: LogsInsightsApi;
  readonly topicArn: string;
  readonly archiveLogGroup: string;
  readonly clock?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The daily digest (scheduled): reads the archive of the last DUE_WITHIN_DAYS + 1 days (warnings
 * are sent up to warnDaysBeforeRevoke before the revocation), builds the per-account digest and
 * publishes it to the notification topic. A failure fails the invocation: Lambda retries it.
 */
export function createDigestHandler(deps: DigestDeps) {
  return async function handler(): Promise<{ accounts: number }> {
    const now = (deps.clock ?? (() => new Date()))();
    const from = new Date(now.getTime() - (DUE_WITHIN_DAYS + 1) * MS_PER_DAY);
    const events = await readArchive(deps.logs, deps.archiveLogGroup, from, now, {
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
    const digests = buildDigest(events, now);
    await deps.sns.send(new PublishCommand(digestNotification(deps.topicArn, digests, now)));
    return { accounts: digests.length };
  };
}

let production: ReturnType<typeof createDigestHandler> | undefined;

export async function handler(): Promise<{ accounts: number }> {
  production ??= createDigestHandler({
    sns: new SNSClient({ retryMode: 'adaptive', maxAttempts: 5 }),
    logs: await runtimeLogsInsightsApi(),
    topicArn: requiredEnvironment('TOPIC_ARN'),
    archiveLogGroup: requiredEnvironment('ARCHIVE_LOG_GROUP'),
  });
  return production();
}
