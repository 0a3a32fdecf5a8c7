import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { IAMClient } from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';
import { boundedClientConfig } from './sdk-budget';

/**
 * SDK settings shared by every client of the evaluator: bounded retries and timeouts, so one
 * call's worst case is known and the deadline guard can budget it (aws/sdk-budget.ts). A call
 * that still fails fails the run.
 */
export const SDK_RETRY_CONFIG = boundedClientConfig();

export interface EvaluatorClients {
  readonly iam: IAMClient;
  readonly ssm: SSMClient;
  readonly config: ConfigServiceClient;
}

/** Creates the clients once (module scope in index.ts) so warm invocations reuse connections. */
export function createClients(): EvaluatorClients {
  return {
    iam: new IAMClient(SDK_RETRY_CONFIG),
    ssm: new SSMClient(SDK_RETRY_CONFIG),
    config: new ConfigServiceClient(SDK_RETRY_CONFIG),
  };
}
