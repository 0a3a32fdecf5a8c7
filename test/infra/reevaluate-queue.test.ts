import {
  ConfigServiceClient,
  DescribeConfigRulesCommand,
  LimitExceededException,
  StartConfigRulesEvaluationCommand,
} from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { memberRuleNamePrefix } from '../../conformance-pack/names';
import { createQueuedReevaluateHandler } from '../../infra/lambda/reevaluate-queue';
import { REEVALUATE_RETRY, retryWindowIsEnough, retryWindowSeconds } from '../../infra/reevaluate-retry';

const configMock = mockClient(ConfigServiceClient);
const RULE = `${memberRuleNamePrefix()}abc123`;

/**
 * Config, in minutes of a model clock: an evaluation of our rule runs over [runStart, runEnd);
 * StartConfigRulesEvaluation answers LimitExceeded while one runs, otherwise starts a new one.
 */
function busyConfig(runEndMinute: number) {
  const clock = { minute: 0 };
  const started: number[] = [];
  configMock
    .on(DescribeConfigRulesCommand)
    .resolves({ ConfigRules: [{ ConfigRuleName: RULE, Source: { Owner: 'CUSTOM_LAMBDA' } }] });
  configMock.on(StartConfigRulesEvaluationCommand).callsFake(() => {
    if (clock.minute < runEndMinute) {
      throw new LimitExceededException({ message: 'evaluation in progress', $metadata: {} });
    }
    started.push(clock.minute);
    return {};
  });
  return { clock, started };
}

/** SQS with a redrive policy: redelivers a failed message after the visibility timeout, then DLQ. */
async function deliverChange(clock: { minute: number }, log: string[]) {
  const handler = createQueuedReevaluateHandler(new ConfigServiceClient({ region: 'eu-west-1' }), (l) =>
    log.push(l),
  );
  const visibilityMinutes = REEVALUATE_RETRY.visibilityTimeout.toMinutes();
  for (let receive = 1; receive <= REEVALUATE_RETRY.maxReceiveCount; receive++) {
    const out = await handler({
      Records: [{ messageId: 'm-1', attributes: { ApproximateReceiveCount: String(receive) } }],
    });
    if (out.batchItemFailures.length === 0) return { deliveredAtReceive: receive, deadLettered: false };
    clock.minute += visibilityMinutes;
  }
  return { deliveredAtReceive: undefined, deadLettered: true };
}

beforeEach(() => {
  configMock.reset();
});

describe('an exclusion change reaches the evaluator even when Config is busy for a whole run', () => {
  it('the retry window outlasts the evaluator timeout plus the margin', () => {
    expect(retryWindowSeconds(120, 16)).toBe(30 * 60);
    expect(retryWindowIsEnough()).toBe(true);
    expect(retryWindowIsEnough({ ...REEVALUATE_RETRY, maxReceiveCount: 8 })).toBe(false);
  });

  it('a run that just started (15 minutes to go): retried until it ends, then one evaluation starts after it', async () => {
    const { clock, started } = busyConfig(15);
    const log: string[] = [];
    const result = await deliverChange(clock, log);
    expect(result.deadLettered).toBe(false);
    expect(started).toEqual([16]);
    expect(started[0]).toBeGreaterThanOrEqual(15);
    const warns = log.map((l) => JSON.parse(l)).filter((l) => l.level === 'WARN');
    expect(warns).toHaveLength(8);
    expect(warns[0]).toMatchObject({ errorName: 'EvaluationBusyError', receiveCount: 1 });
  });

  it('Config idle: starts at once', async () => {
    const { clock, started } = busyConfig(0);
    expect(await deliverChange(clock, [])).toEqual({ deliveredAtReceive: 1, deadLettered: false });
    expect(started).toEqual([0]);
  });

  it('busy beyond the window: the message goes to the dead-letter queue (its alarm fires)', async () => {
    const { clock, started } = busyConfig(60);
    expect(await deliverChange(clock, [])).toEqual({ deliveredAtReceive: undefined, deadLettered: true });
    expect(started).toEqual([]);
  });

  it('other failures are retried too, logged at ERROR', async () => {
    configMock
      .on(DescribeConfigRulesCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const log: string[] = [];
    const handler = createQueuedReevaluateHandler(new ConfigServiceClient({ region: 'eu-west-1' }), (l) =>
      log.push(l),
    );
    const out = await handler({ Records: [{ messageId: 'm-1' }, { messageId: 'm-2' }] });
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }]);
    expect(JSON.parse(log[0] as string)).toMatchObject({ level: 'ERROR', errorName: 'ConfigReadError' });
  });

  it('one start covers every change in the batch', async () => {
    const { started } = busyConfig(0);
    const log: string[] = [];
    const handler = createQueuedReevaluateHandler(new ConfigServiceClient({ region: 'eu-west-1' }), (line) =>
      log.push(line),
    );
    const out = await handler({ Records: [{ messageId: 'a' }, { messageId: 'b' }] });
    expect(out.batchItemFailures).toEqual([]);
    expect(started).toHaveLength(1);
  });
});
