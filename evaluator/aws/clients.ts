import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';

/**
 * SDK retry settings shared by every client of the evaluator. Adaptive mode adds client-side rate
 * limiting on top of exponential backoff, which suits IAM: its throttling is per account and
 * unpublished. Eight attempts ride out bursts of throttling; a call that still fails fails the run.
 */
export const SDK_RETRY_CONFIG = { retryMode: 'adaptive', maxAttempts: 8 } as const;

export interface EvaluatorClients {
  readonly iam: IAMClient;
  readonly ssm: SSMClient;
  readonly config: ConfigServiceClient;
  readonly events: EventBridgeClient;
}

/** Creates the clients once (module scope in index.ts) so warm invocations reuse connections. */
export function createClients(): EvaluatorClients {
  return {
    iam: new IAMClient(SDK_RETRY_CONFIG),
    ssm: new SSMClient(SDK_RETRY_CONFIG),
    config: new ConfigServiceClient(SDK_RETRY_CONFIG),
    events: new EventBridgeClient(SDK_RETRY_CONFIG),
  };
}
