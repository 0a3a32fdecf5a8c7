import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createReconcilerHandler } from '../../../infra/lambda/reconciler/index';
import {
  type AccountRecord,
  accountStateParameterName,
  PAUSE_PARAMETER_NAME,
  ROLLOUT_METRICS,
} from '../../../infra/rollout/contract';
import type { ReconcilerSpec } from '../../../infra/rollout/spec';
import { type SimAccount, SimOrganization } from '../../../scripts/simulation/org/organization';
import { serveOrganization } from '../../../scripts/simulation/org/serve';
import { specFor } from '../../../scripts/simulation/org/simulate';

/** The reconciler handler end to end over a small in-memory organization (scripts/simulation/org). */

const A = '111111111111';
const B = '333333333333';
const C = '444444444444';
const EPOCH = Date.parse('2026-12-01T00:00:00Z');

function account(id: string, over: Partial<SimAccount> = {}): SimAccount {
  return {
    id,
    joinAt: 0,
    excluded: false,
    recorderAt: 0,
    recordsIam: true,
    instanceCurrentAt: 10,
    packAutoDeployDelay: 30,
    deployMinutes: 10,
    ...over,
  };
}

function setup(accounts: SimAccount[], spec: ReconcilerSpec = specFor([])) {
  const org = new SimOrganization(new Map(accounts.map((a) => [a.id, a])));
  const served = serveOrganization(org, spec.aggregatorName);
  const responses: { Status: string; Reason: string; PhysicalResourceId: string }[] = [];
  const logs: string[] = [];
  let current = spec;
  const handler = createReconcilerHandler({
    clients: served.clients,
    loadSpec: () => current,
    now: () => new Date(EPOCH + org.now * 60_000),
    log: (line) => logs.push(line),
    send: async (_url, body) => {
      responses.push(JSON.parse(body));
    },
  });
  const record = (id: string) => {
    const text = served.parameters.get(accountStateParameterName(id));
    return text === undefined ? undefined : (JSON.parse(text) as AccountRecord);
  };
  const run = (at: number, event: unknown = { source: 'aws.events', 'detail-type': 'Scheduled Event' }) => {
    org.advanceTo(at);
    return handler(event);
  };
  return {
    org,
    served,
    responses,
    logs,
    handler,
    record,
    run,
    setSpec: (s: ReconcilerSpec) => (current = s),
  };
}

function deploy(kind: 'Create' | 'Update' | 'Delete'): CloudFormationCustomResourceEvent {
  return {
    RequestType: kind,
    ServiceToken: 'arn:aws:lambda:eu-west-1:222222222222:function:f',
    ResponseURL: 'https://example.com/r',
    StackId: 'arn:aws:cloudformation:eu-west-1:222222222222:stack/s/1',
    RequestId: 'r1',
    LogicalResourceId: 'PackDeployment',
    ResourceType: 'Custom::OrganizationConformancePack',
    ResourceProperties: { ServiceToken: 'x' },
    ...(kind === 'Create' ? {} : { PhysicalResourceId: 'iam-unused-credentials', OldResourceProperties: {} }),
  } as CloudFormationCustomResourceEvent;
}

describe('reconciler handler over an in-memory organization', () => {
  it('first deploy with one account failing: the deployment succeeds, the others are covered, the failing one is recorded', async () => {
    const t = setup([account(A), account(B, { recorderAt: undefined }), account(C)]);
    await t.run(20, deploy('Create'));
    expect(t.responses[0]).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'iam-unused-credentials' });
    await t.run(60);
    expect(t.org.coveredAt.get(A)).toBeLessThanOrEqual(30);
    expect(t.org.coveredAt.get(C)).toBeLessThanOrEqual(30);
    expect(t.record(B)).toMatchObject({
      condition: 'no-recorder',
      errorCode: 'NoAvailableConfigurationRecorderException',
    });
    expect(t.record(A)).toBeUndefined();
    const emf = JSON.parse(t.logs.at(-1) as string);
    expect(emf._aws.CloudWatchMetrics[0].Namespace).toBe(ROLLOUT_METRICS.namespace);
    expect(emf[ROLLOUT_METRICS.covered]).toBe(2);
    expect(emf[ROLLOUT_METRICS.uncovered]).toBe(1);
    // A day later the account is still uncovered: the alarm metric counts it.
    await t.run(60 + 24 * 60);
    expect(JSON.parse(t.logs.at(-1) as string)[ROLLOUT_METRICS.failingTooLong]).toBe(1);
  });

  it('a settings change while one account is failing reaches every healthy account', async () => {
    const t = setup([account(A), account(B, { recorderAt: undefined }), account(C)]);
    await t.run(20, deploy('Create'));
    await t.run(60);
    t.setSpec({ ...specFor([]), packOptions: { ...specFor([]).packOptions, maxAgeDays: 45 } });
    await t.run(70, deploy('Update'));
    expect(t.responses[1]?.Status).toBe('SUCCESS');
    expect(t.served.templates.at(-1)).toContain('Default: "45"');
    t.org.advanceTo(80);
    expect(t.org.members.get(A)?.status).toBe('UPDATE_SUCCESSFUL');
    expect(t.org.members.get(C)?.status).toBe('UPDATE_SUCCESSFUL');
    expect(t.record(B)?.condition).toBe('no-recorder');
  });

  it('a new account whose pack arrives before its evaluator is covered within two periods of its instance', async () => {
    const late = account(B, { joinAt: 100, packAutoDeployDelay: 5, instanceCurrentAt: 170 });
    const t = setup([account(A), late]);
    await t.run(20, deploy('Create'));
    await t.run(120); // the pack reached B at 105-115, before its evaluator (170)
    expect(t.org.members.get(B)).toMatchObject({
      status: 'CREATE_FAILED',
      errorCode: 'InsufficientPermissionsException',
    });
    expect(t.record(B)).toMatchObject({ condition: 'evaluator-missing', stackInstanceStatus: 'OUTDATED' });
    await t.run(180);
    expect(t.record(B)).toMatchObject({ condition: 'pack-failed', attempts: 1 });
    await t.run(240);
    expect(t.org.coveredAt.get(B)).toBeLessThanOrEqual(170 + 120);
    expect(t.record(B)).toBeUndefined();
  });

  it('a StackSet instance event names the account, so a pack missing there is put at once', async () => {
    const t = setup([account(A), account(B, { joinAt: 100, packAutoDeployDelay: 500 })]);
    await t.run(20, deploy('Create'));
    const puts = t.served.templates.length;
    await t.run(115, {
      source: 'aws.cloudformation',
      'detail-type': 'CloudFormation StackSet StackInstance Status Change',
      detail: {
        'stack-id': `arn:aws:cloudformation:eu-west-1:${B}:stack/StackSet-x/1`,
        'status-details': { status: 'CURRENT' },
      },
    });
    expect(t.served.templates.length).toBe(puts + 1);
    expect(t.record(B)).toMatchObject({ condition: 'pack-missing', attempts: 1 });
  });

  it('an account without a recorder is retried with backoff and named with the fix', async () => {
    const t = setup([account(A), account(B, { recorderAt: undefined })]);
    await t.run(20, deploy('Create'));
    for (let h = 1; h <= 6; h += 1) await t.run(20 + h * 60);
    const r = t.record(B);
    expect(r?.condition).toBe('no-recorder');
    expect(r?.fix).toContain('Create a configuration recorder in eu-west-1');
    // Puts at hours 1, 2 and 4 after the first failure: 3 attempts in 6 hours, not 6.
    expect(r?.attempts).toBe(3);
  });

  it('pause puts the pack with remediation manual; resume puts it back to automatic', async () => {
    const t = setup([account(A)]);
    await t.run(20, deploy('Create'));
    expect(t.served.templates.at(-1)).toContain('Automatic: true');
    t.served.parameters.set(
      PAUSE_PARAMETER_NAME,
      JSON.stringify({ paused: true, by: 'arn:aws:iam::222222222222:role/Ops' }),
    );
    await t.run(25, {
      source: 'aws.ssm',
      'detail-type': 'Parameter Store Change',
      detail: { name: PAUSE_PARAMETER_NAME },
    });
    expect(t.served.templates.at(-1)).toContain('Automatic: false');
    expect(JSON.parse(t.logs.at(-1) as string).paused).toBe(true);
    const puts = t.served.templates.length;
    await t.run(85);
    expect(t.served.templates.length).toBe(puts); // nothing changed: no put
    t.served.parameters.set(PAUSE_PARAMETER_NAME, JSON.stringify({ paused: false }));
    await t.run(90);
    expect(t.served.templates.at(-1)).toContain('Automatic: true');
    t.served.parameters.set(PAUSE_PARAMETER_NAME, 'yes please');
    await t.run(95);
    expect(t.served.templates.at(-1)).toContain('Automatic: false');
    expect(JSON.parse(t.logs.at(-1) as string).warnings[0]).toContain('treated as paused');
  });

  it('Delete removes the organization pack and every rollout parameter', async () => {
    const t = setup([account(A), account(B, { recorderAt: undefined })]);
    await t.run(20, deploy('Create'));
    await t.run(60);
    await t.run(61, deploy('Delete'));
    expect(t.responses.at(-1)?.Status).toBe('SUCCESS');
    expect(t.served.calls.get('DeleteOrganizationConformancePack')).toBe(1);
    expect(t.served.parameters.size).toBe(0);
  });
});

describe('reconciler handler failures', () => {
  it('fails the deployment only when Config refuses the pack for the whole organization', async () => {
    const t = setup([account(A)]);
    t.served.faults.set(
      'PutOrganizationConformancePack',
      Object.assign(new Error('no'), { name: 'AccessDeniedException' }),
    );
    await t.run(20, deploy('Create'));
    expect(t.responses[0]?.Status).toBe('FAILED');
    expect(t.responses[0]?.Reason).toContain('PackPutError');
    // A refused delete fails the stack deletion too, so nothing is left behind silently.
    t.served.faults.set(
      'DeleteOrganizationConformancePack',
      Object.assign(new Error('busy'), { name: 'ResourceInUseException' }),
    );
    await t.run(30, deploy('Delete'));
    expect(t.responses[1]?.Status).toBe('FAILED');
  });

  it('lets the deployment go on when a read fails, and fails the scheduled run (the Lambda errors alarm)', async () => {
    const t = setup([account(A)]);
    t.served.faults.set(
      'GetOrganizationConformancePackDetailedStatus',
      Object.assign(new Error('slow down'), { name: 'ThrottlingException' }),
    );
    await t.run(20, deploy('Update'));
    expect(t.responses[0]).toMatchObject({ Status: 'SUCCESS' });
    expect(t.responses[0]?.Reason).toContain('hourly run retries');
    await expect(t.run(60)).rejects.toThrow(/throttled after retries/);
    expect(t.served.calls.get('PutOrganizationConformancePack')).toBeUndefined();
  });
});
