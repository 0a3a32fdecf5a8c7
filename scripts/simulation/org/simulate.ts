import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { AGGREGATOR_NAME, ORG_CONFORMANCE_PACK_NAME, STACKSET_NAME } from '../../../conformance-pack/names';
import { createReconcilerHandler } from '../../../infra/lambda/reconciler/index';
import { ACCOUNT_STATE_PATH, type AccountCondition } from '../../../infra/rollout/contract';
import type { ReconcilerSpec } from '../../../infra/rollout/spec';
import { AGGREGATOR_LAG_MINUTES, SimOrganization } from './organization';
import { buildAccounts, DEPLOY_AT, MINUTES_PER_HOUR, type ScenarioOptions } from './scenario';
import { serveOrganization } from './serve';

/** Drives the real reconciler handler over the simulated organization, period by period. */

export const PERIOD = MINUTES_PER_HOUR;
export const TARGET_DELAY_MINUTES = 2 * PERIOD;
const EPOCH = Date.parse('2026-12-01T00:00:00Z');

export interface Ineligible {
  readonly id: string;
  readonly reason: 'excluded' | 'no-recorder' | 'iam-users-not-recorded';
  /** The condition the reconciler recorded for it (what `iam-unused status` shows). */
  readonly recorded: AccountCondition | 'excluded' | undefined;
}

export interface SimulationReport {
  readonly accounts: number;
  readonly eligible: number;
  readonly runs: number;
  /** Scheduled periods after the first deploy until every eligible first-day account was covered. */
  readonly periodsUntilInitialCovered: number;
  /** Per eligible account: minutes from ready (instance CURRENT, recorder seen, pack put) to covered. */
  readonly maxDelayMinutes: number;
  readonly late: readonly { id: string; delay: number }[];
  readonly uncoveredEligible: readonly string[];
  readonly ineligible: readonly Ineligible[];
  readonly callsPerRun: readonly number[];
  /** Calls of each run that began with every in-scope account covered and nothing to put. */
  readonly quietRunCalls: readonly number[];
  readonly callsByOperation: ReadonlyMap<string, number>;
  readonly alarmingAtEnd: number;
}

export function specFor(excludedAccounts: readonly string[]): ReconcilerSpec {
  return {
    v: 1,
    packName: ORG_CONFORMANCE_PACK_NAME,
    packOptions: {
      target: { kind: 'organization', partition: 'aws', deployingAccountId: '222222222222' },
      maxAgeDays: 90,
      exclusionParameterName: '/iam-unused-user-cleanup/excluded-users',
      frequency: 'TwentyFour_Hours',
      remediation: { mode: 'automatic', maximumAttempts: 5, retryAttemptSeconds: 60 },
    },
    excludedAccounts,
    stackSetName: STACKSET_NAME,
    aggregatorName: AGGREGATOR_NAME,
    homeRegion: 'eu-west-1',
    alarmAfterHours: 24,
  };
}

function deployEvent(): CloudFormationCustomResourceEvent {
  return {
    RequestType: 'Create',
    ServiceToken: 'arn:aws:lambda:eu-west-1:222222222222:function:iam-unused-cleanup-reconciler',
    ResponseURL: 'https://example.com/response',
    StackId: 'arn:aws:cloudformation:eu-west-1:222222222222:stack/IamUnusedCleanupDelegatedAdmin/sim',
    RequestId: 'sim',
    LogicalResourceId: 'PackDeployment',
    ResourceType: 'Custom::OrganizationConformancePack',
    ResourceProperties: { ServiceToken: 'x' },
  };
}

export async function simulate(options: ScenarioOptions, hours: number): Promise<SimulationReport> {
  const accounts = buildAccounts(options);
  const org = new SimOrganization(accounts);
  const spec = specFor([...accounts.values()].filter((a) => a.excluded).map((a) => a.id));
  const served = serveOrganization(org, spec.aggregatorName);
  const handler = createReconcilerHandler({
    clients: served.clients,
    loadSpec: () => spec,
    now: () => new Date(EPOCH + org.now * 60_000),
    log: () => undefined,
    send: async () => undefined,
  });
  const totalCalls = () => [...served.calls.values()].reduce((a, b) => a + b, 0);
  const allCovered = () =>
    [...accounts.values()].every(
      (a) => !org.joined(a.id) || a.excluded || org.members.get(a.id)?.status.endsWith('_SUCCESSFUL'),
    );
  const callsPerRun: number[] = [];
  const quietRunCalls: number[] = [];

  org.advanceTo(DEPLOY_AT);
  await handler(deployEvent());
  for (let t = DEPLOY_AT + PERIOD; t <= DEPLOY_AT + hours * PERIOD; t += PERIOD) {
    org.advanceTo(t);
    const quiet =
      allCovered() &&
      served.parameters.size <= 1 + [...served.parameters.keys()].filter((n) => n.endsWith('/pause')).length;
    const before = totalCalls();
    await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' });
    callsPerRun.push(totalCalls() - before);
    if (quiet) quietRunCalls.push(totalCalls() - before);
  }

  const recorded = new Map<string, AccountCondition>();
  for (const [name, value] of served.parameters) {
    if (name.startsWith(`${ACCOUNT_STATE_PATH}/`)) {
      const r = JSON.parse(value) as { accountId: string; condition: AccountCondition };
      recorded.set(r.accountId, r.condition);
    }
  }
  const ineligible: Ineligible[] = [];
  const late: { id: string; delay: number }[] = [];
  const uncoveredEligible: string[] = [];
  let maxDelay = 0;
  let initialDone = 0;
  for (const a of accounts.values()) {
    const reason = a.excluded
      ? 'excluded'
      : a.recorderAt === undefined
        ? 'no-recorder'
        : !a.recordsIam
          ? 'iam-users-not-recorded'
          : undefined;
    if (reason !== undefined) {
      ineligible.push({ id: a.id, reason, recorded: a.excluded ? 'excluded' : recorded.get(a.id) });
      continue;
    }
    const covered = org.coveredAt.get(a.id);
    if (covered === undefined) {
      uncoveredEligible.push(a.id);
      continue;
    }
    const recorderSeen = a.recorderAt === a.joinAt ? a.joinAt : (a.recorderAt ?? 0) + AGGREGATOR_LAG_MINUTES;
    const ready = Math.max(a.instanceCurrentAt, recorderSeen, DEPLOY_AT);
    const delay = Math.max(0, covered - ready);
    maxDelay = Math.max(maxDelay, delay);
    if (delay > TARGET_DELAY_MINUTES) late.push({ id: a.id, delay });
    if (a.joinAt === 0) initialDone = Math.max(initialDone, Math.ceil((covered - DEPLOY_AT) / PERIOD));
  }
  return {
    accounts: accounts.size,
    eligible: accounts.size - ineligible.length,
    runs: callsPerRun.length + 1,
    periodsUntilInitialCovered: initialDone,
    maxDelayMinutes: maxDelay,
    late,
    uncoveredEligible,
    ineligible,
    callsPerRun,
    quietRunCalls,
    callsByOperation: served.calls,
    alarmingAtEnd: [...served.parameters.values()].filter((v) => v.includes('"alarming":true')).length,
  };
}
