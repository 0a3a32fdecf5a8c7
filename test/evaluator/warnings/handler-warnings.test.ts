import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import {
  EventBridgeClient,
  EventBridgeServiceException,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SAFETY_MARGIN_MS } from '../../../evaluator/deadline';
import { createPerUserSource } from '../../../evaluator/facts/per-user';
import { createHandler, type HandlerDeps } from '../../../evaluator/handler';
import {
  collectingLogger,
  daysAgo,
  type FakeUser,
  lambdaContext,
  NOW,
  scheduledEvent,
  serveIamAccount,
  userId,
} from '../handler-fixtures';
import { acceptedDetails, warningAccount } from './run-fixture';

const HOUR = 60 * 60 * 1000;
const configMock = mockClient(ConfigServiceClient);
let account: ReturnType<typeof warningAccount>;

/** Users: one key 83 days unused (7 left), one 200 days (stale), one 10 days (far from the window). */
const USERS: FakeUser[] = [
  {
    name: 'entering',
    id: userId(1),
    keys: [{ id: 'AKIA0000000000000001', created: daysAgo(400), lastUsed: daysAgo(83) }],
  },
  {
    name: 'stale',
    id: userId(2),
    keys: [{ id: 'AKIA0000000000000002', created: daysAgo(400), lastUsed: daysAgo(200) }],
  },
  {
    name: 'fresh',
    id: userId(3),
    keys: [{ id: 'AKIA0000000000000003', created: daysAgo(400), lastUsed: daysAgo(10) }],
  },
];

beforeEach(() => {
  configMock.reset();
  account = warningAccount();
  serveIamAccount(account.iam, USERS);
  account.ssm
    .on(GetParameterCommand, { Name: '/iam-unused-user-cleanup/excluded-users' })
    // The account excludes nobody, explicitly (a missing list fails the run: docs/exclusions-safety.md).
    .resolves({
      Parameter: {
        Name: '/iam-unused-user-cleanup/excluded-users',
        Type: 'String',
        Value: '(none)',
        Version: 1,
      },
    });
  configMock.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
});

function handlerAt(now: Date) {
  const logger = collectingLogger();
  const deps: HandlerDeps = {
    iam: new IAMClient({}),
    ssm: new SSMClient({}),
    config: new ConfigServiceClient({}),
    events: new EventBridgeClient({}),
    factsSource: createPerUserSource,
    clock: () => now,
    logger,
    putRetry: { sleep: async () => undefined },
  };
  return { handler: createHandler(deps), logger };
}

function verdicts(): string[] {
  return configMock
    .commandCalls(PutEvaluationsCommand)
    .flatMap((c) => c.args[0].input.Evaluations ?? [])
    .map((e) => `${e.ComplianceResourceId}:${e.ComplianceType}`);
}

describe('handler with warnings', () => {
  it('hourly runs for a day: one warning for the credential entering the window, none for the others', async () => {
    for (let h = 0; h < 24; h++) {
      const { handler } = handlerAt(new Date(NOW.getTime() + h * HOUR));
      await handler(scheduledEvent(), lambdaContext());
    }
    expect(acceptedDetails(account.world.accepted).map((d) => [d.userName, d.daysLeft, d.warning])).toEqual([
      ['entering', 7, 'entering-window'],
    ]);
    expect(account.events.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('a PutEvents failure changes no verdict and does not fail the run', async () => {
    // Given EventBridge throttles past the SDK's retries
    account.events.on(PutEventsCommand).rejects(
      new EventBridgeServiceException({
        name: 'ThrottlingException',
        message: 'slow',
        $fault: 'client',
        $metadata: {},
      }),
    );
    const { handler, logger } = handlerAt(NOW);
    // When the rule runs; Then it resolves with the same verdicts as without warnings
    const summary = await handler(scheduledEvent(), lambdaContext());
    expect(summary).toMatchObject({ users: 3, nonCompliant: 1, compliant: 2 });
    expect(verdicts()).toEqual([
      `${userId(1)}:COMPLIANT`,
      `${userId(2)}:NON_COMPLIANT`,
      `${userId(3)}:COMPLIANT`,
    ]);
    expect(logger.json().find((l) => l.message === 'warnings run')).toMatchObject({
      level: 'WARN',
      failed: 1,
    });
  });

  it('WarnDaysBeforeRevoke "0" turns warnings off: no tag read, no state, no event', async () => {
    const { handler } = handlerAt(NOW);
    await handler(
      scheduledEvent({
        ruleParameters: JSON.stringify({ MaxCredentialUsageAge: '90', WarnDaysBeforeRevoke: '0' }),
      }),
      lambdaContext(),
    );
    expect(account.events.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(account.world.state).toBeUndefined();
  });

  it('too little time left after the evaluations: warnings wait for the next run', async () => {
    const { handler } = handlerAt(NOW);
    await handler(
      scheduledEvent(),
      // Enough for the evaluations (past the safety margin), not for the warnings after them.
      lambdaContext(() => DEFAULT_SAFETY_MARGIN_MS + 30_000),
    );
    expect(account.events.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(verdicts()).toHaveLength(3);
  });
});
