import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { SDK_RETRY_CONFIG } from '../../../evaluator/aws/clients';
import { ROLLOUT_METRICS } from '../../rollout/contract';
import { parseReconcilerSpec, type ReconcilerSpec } from '../../rollout/spec';
import { fetchResponse, responseBody, type SendResponse } from './cfn-response';
import { triggerOf } from './events';
import { deleteOrganizationPack, PackPutError } from './organization';
import { type ReconcileResult, type ReconcilerClients, reconcile } from './reconcile';
import { deleteRolloutState } from './state-store';

/** The reconciler Lambda: wires the trigger to reconcile() and reports in EMF. No decisions here. */

export interface ReconcilerDeps {
  readonly clients: ReconcilerClients;
  readonly loadSpec: () => ReconcilerSpec;
  readonly now: () => Date;
  readonly log: (line: string) => void;
  readonly send: SendResponse;
}

/** One EMF line: CloudWatch turns the numbers into metrics; the alarm watches failingTooLong. */
export function metricsLine(result: ReconcileResult, now: Date, source: string): string {
  const names = [ROLLOUT_METRICS.failingTooLong, ROLLOUT_METRICS.uncovered, ROLLOUT_METRICS.covered];
  const uncovered = [...result.records.values()].filter((r) => r.condition !== 'iam-users-not-recorded');
  return JSON.stringify({
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: ROLLOUT_METRICS.namespace,
          Dimensions: [[]],
          Metrics: names.map((Name) => ({ Name, Unit: 'Count' })),
        },
      ],
    },
    [ROLLOUT_METRICS.failingTooLong]: result.alarming.length,
    [ROLLOUT_METRICS.uncovered]: uncovered.length,
    [ROLLOUT_METRICS.covered]: result.coveredAccounts,
    message: 'Reconciled the organization conformance pack.',
    trigger: source,
    paused: result.paused,
    put: result.put ?? 'none',
    putOutcome: result.putOutcome,
    alarmingAccounts: result.alarming,
    uncoveredAccounts: uncovered.map((r) => `${r.accountId}:${r.condition}`),
    warnings: result.warnings,
  });
}

export function createReconcilerHandler(deps: ReconcilerDeps) {
  return async (event: unknown): Promise<Record<string, unknown>> => {
    const trigger = triggerOf(event);
    if (trigger.kind === 'deploy') return onDeploy(deps, trigger.event);
    const now = deps.now();
    const result = await reconcile(deps.clients, deps.loadSpec(), now, trigger.hints);
    deps.log(metricsLine(result, now, trigger.source));
    return { put: result.put ?? 'none', putOutcome: result.putOutcome, uncovered: result.records.size };
  };
}

/**
 * The deploy-time custom resource. Create/Update put the pack now and succeed whatever the members
 * do: only Config refusing the pack for the whole organization fails the deployment. Delete
 * removes the pack and the rollout parameters (uninstall).
 */
async function onDeploy(
  deps: ReconcilerDeps,
  event: CloudFormationCustomResourceEvent,
): Promise<Record<string, unknown>> {
  const spec = deps.loadSpec();
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason: string;
  try {
    if (event.RequestType === 'Delete') {
      await deleteOrganizationPack(deps.clients.config, spec.packName);
      const removed = await deleteRolloutState(deps.clients.ssm);
      reason = `Deleted the organization pack and ${removed} rollout parameter(s).`;
    } else {
      const now = deps.now();
      const result = await reconcile(deps.clients, spec, now);
      deps.log(metricsLine(result, now, `deploy-${event.RequestType}`));
      reason = `put ${result.put ?? 'none'} (${result.putOutcome}); ${result.records.size} account(s) not covered yet: \`iam-unused status\` lists them.`;
    }
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    // A member failure never lands here; a refused put or delete must stop the deployment.
    if (error instanceof PackPutError || event.RequestType === 'Delete') status = 'FAILED';
    reason = status === 'FAILED' ? message : `${message} The hourly run retries; the deployment goes on.`;
    deps.log(JSON.stringify({ level: 'error', message: reason }));
  }
  await deps.send(event.ResponseURL, responseBody(event, status, spec.packName, reason, {}));
  return { status, reason };
}

/** spec.json is written next to index.js at synth (infra/rollout/reconciler-code.ts). */
function loadSpecFile(): ReconcilerSpec {
  const file = path.join(process.env.LAMBDA_TASK_ROOT ?? '.', 'spec.json');
  return parseReconcilerSpec(readFileSync(file, 'utf8'), file);
}

const clients: ReconcilerClients = {
  config: new ConfigServiceClient(SDK_RETRY_CONFIG),
  cloudformation: new CloudFormationClient(SDK_RETRY_CONFIG),
  ssm: new SSMClient(SDK_RETRY_CONFIG),
};

export const handler = createReconcilerHandler({
  clients,
  loadSpec: loadSpecFile,
  now: () => new Date(),
  log: (line) => console.log(line),
  send: fetchResponse,
});
