import {
  ConfigServiceClient,
  type Evaluation,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import {
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { USER_GONE_ANNOTATION } from '../../evaluator/aws/config-evaluations';
import { ExclusionListMissingError } from '../../evaluator/aws/exclusion-parameter';
import {
  ConfigReadError,
  DeadlineExceededError,
  ExclusionListUnavailableError,
  IamReadError,
  InvalidEventError,
  InvalidExclusionListError,
  InvalidRuleParameterError,
  PutEvaluationsError,
} from '../../evaluator/errors';
import { NO_EXCLUSIONS_VALUE } from '../../evaluator/exclusions';
import { createPerUserSource } from '../../evaluator/facts/per-user';
import { createHandler, defaultFactsSource, type HandlerDeps } from '../../evaluator/handler';
import { HEARTBEAT_PARAMETER_NAME, type Heartbeat, parseHeartbeat } from '../../evaluator/heartbeat';
import { METRIC_NAMESPACE } from '../../evaluator/observability';
import {
  ACCOUNT_ID,
  collectingLogger,
  daysAgo,
  type FakeUser,
  fakeUsers,
  iamError,
  lambdaContext,
  NOTIFICATION_TIME,
  NOW,
  noSuchEntity,
  RULE_NAME,
  scheduledEvent,
  serveIamAccount,
  userId,
} from './handler-fixtures';

const iamMock = mockClient(IAMClient);
const ssmMock = mockClient(SSMClient);
const configMock = mockClient(ConfigServiceClient);

const PARAMETER = '/iam-unused-user-cleanup/excluded-users';

function ssmError(name: string): SSMServiceException {
  return new SSMServiceException({ name, message: `${name} from the mock`, $fault: 'client', $metadata: {} });
}

/** Prepare: an account with `users`, an exclusion value, and the rule's earlier results. */
function prepare(options: {
  users: readonly FakeUser[];
  /** The parameter value; null = the parameter does not exist. @default NO_EXCLUSIONS_VALUE */
  exclusions?: string | null;
  previous?: readonly string[];
}) {
  serveIamAccount(iamMock, options.users, { usersPerPage: 100 });
  if (options.exclusions === null) {
    ssmMock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
  } else {
    ssmMock.on(GetParameterCommand).resolves({
      Parameter: { Name: PARAMETER, Type: 'StringList', Value: options.exclusions ?? NO_EXCLUSIONS_VALUE },
    });
  }
  // No earlier heartbeat; writing one succeeds.
  ssmMock
    .on(GetParameterCommand, { Name: HEARTBEAT_PARAMETER_NAME })
    .rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
  ssmMock.on(PutParameterCommand).resolves({ Version: 1 });
  const previous = options.previous ?? [];
  configMock.on(GetComplianceDetailsByConfigRuleCommand).callsFake((input: { NextToken?: string }) => {
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const page = previous.slice(start, start + 100);
    return {
      EvaluationResults: page.map((id) => ({
        EvaluationResultIdentifier: {
          EvaluationResultQualifier: {
            ConfigRuleName: RULE_NAME,
            ResourceType: 'AWS::IAM::User',
            ResourceId: id,
          },
        },
        ComplianceType: 'COMPLIANT',
      })),
      ...(start + 100 < previous.length ? { NextToken: String(start + 100) } : {}),
    };
  });
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  const logger = collectingLogger();
  const deps: HandlerDeps = {
    iam: new IAMClient({ region: 'us-east-1' }),
    ssm: new SSMClient({ region: 'us-east-1' }),
    config: new ConfigServiceClient({ region: 'us-east-1' }),
    // These tests pin the per-user strategy's exact calls; report-first has its own tests.
    factsSource: createPerUserSource,
    clock: () => NOW,
    logger,
    putRetry: { sleep: async () => undefined },
  };
  return { deps, logger };
}

function putCalls() {
  return configMock.commandCalls(PutEvaluationsCommand).map((call) => call.args[0].input);
}

function heartbeatsWritten(): Heartbeat[] {
  return ssmMock
    .commandCalls(PutParameterCommand, { Name: HEARTBEAT_PARAMETER_NAME })
    .map((call) => parseHeartbeat(call.args[0].input.Value ?? ''));
}

function allPut(): Evaluation[] {
  return putCalls().flatMap((input) => input.Evaluations ?? []);
}

beforeEach(() => {
  iamMock.reset();
  ssmMock.reset();
  configMock.reset();
});

describe('evaluator handler: batches', () => {
  it('puts 250 users as exactly three batches of 100, 100 and 50', async () => {
    // Prepare
    const users = fakeUsers(250, (i) => i % 10 === 0);
    const { deps } = prepare({ users });
    // Act
    const summary = await createHandler(deps)(scheduledEvent(), lambdaContext());
    // Assess
    const calls = putCalls();
    expect(calls.map((c) => c.Evaluations?.length)).toEqual([100, 100, 50]);
    expect(calls.every((c) => c.ResultToken === 'result-token-from-config' && c.TestMode === undefined)).toBe(
      true,
    );
    const evaluations = allPut();
    expect(evaluations.map((e) => e.ComplianceResourceId)).toEqual(users.map((u) => u.id));
    expect(evaluations.every((e) => e.ComplianceResourceType === 'AWS::IAM::User')).toBe(true);
    expect(evaluations.every((e) => e.OrderingTimestamp?.toISOString() === NOTIFICATION_TIME)).toBe(true);
    expect(evaluations.filter((e) => e.ComplianceType === 'NON_COMPLIANT')).toHaveLength(25);
    expect(
      evaluations.every((e) => (e.Annotation?.length ?? 0) >= 1 && (e.Annotation?.length ?? 0) <= 256),
    ).toBe(true);
    expect(summary).toMatchObject({ users: 250, nonCompliant: 25, compliant: 225, notApplicable: 0 });
    // ListUsers pages of 100 (the mock's page size): three calls, the later ones with the Marker.
    const listUsers = iamMock.commandCalls(ListUsersCommand).map((c) => c.args[0].input);
    expect(listUsers).toEqual([
      { MaxItems: 1000 },
      { MaxItems: 1000, Marker: 'users-from-100' },
      { MaxItems: 1000, Marker: 'users-from-200' },
    ]);
  });

  it('re-sends only the evaluations Config lists as failed, then succeeds', async () => {
    // Prepare
    const users = fakeUsers(5);
    const { deps } = prepare({ users });
    let attempt = 0;
    configMock.on(PutEvaluationsCommand).callsFake((input: { Evaluations: Evaluation[] }) => {
      attempt++;
      return { FailedEvaluations: attempt === 1 ? input.Evaluations.slice(1, 3) : [] };
    });
    // Act
    const summary = await createHandler(deps)(scheduledEvent(), lambdaContext());
    // Assess
    const calls = putCalls();
    expect(calls).toHaveLength(2);
    expect(calls[1]?.Evaluations?.map((e) => e.ComplianceResourceId)).toEqual([userId(1), userId(2)]);
    expect(summary.evaluationsPut).toBe(5);
    expect(summary.configCalls.byOperation).toEqual({
      GetComplianceDetailsByConfigRule: 1,
      PutEvaluations: 2,
    });
  });

  it('fails the run with PutEvaluationsError when Config keeps rejecting evaluations', async () => {
    // Prepare
    const { deps, logger } = prepare({ users: fakeUsers(3) });
    configMock.on(PutEvaluationsCommand).callsFake((input: { Evaluations: Evaluation[] }) => ({
      FailedEvaluations: input.Evaluations.slice(0, 1),
    }));
    // Act
    const run = createHandler(deps)(scheduledEvent(), lambdaContext());
    // Assess
    await expect(run).rejects.toThrow(PutEvaluationsError);
    await expect(run).rejects.toThrow(/rejected 1 evaluation\(s\) in 4 attempts.*AIDA00000000000000000/);
    expect(putCalls()).toHaveLength(4);
    expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
    expect(logger.json().filter((l) => l.level === 'ERROR')).toHaveLength(1);
  });

  it('fails with PutEvaluationsError carrying the cause when PutEvaluations itself throws', async () => {
    // Prepare
    const { deps } = prepare({ users: fakeUsers(2) });
    const cause = new Error('token expired');
    cause.name = 'InvalidResultTokenException';
    configMock.on(PutEvaluationsCommand).rejects(cause);
    // Act
    const error = await createHandler(deps)(scheduledEvent(), lambdaContext()).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(PutEvaluationsError);
    expect((error as Error).cause).toBe(cause);
    expect((error as Error).message).toMatch(/InvalidResultTokenException: token expired/);
  });

  it('passes TestMode through when the event asks for it, with a placeholder result token', async () => {
    // Prepare
    const { deps } = prepare({ users: fakeUsers(2) });
    const { resultToken: _omitted, ...event } = scheduledEvent({ testMode: true });
    // Act
    const summary = await createHandler(deps)(event, lambdaContext());
    // Assess
    expect(putCalls()).toEqual([expect.objectContaining({ TestMode: true, ResultToken: 'TESTMODE' })]);
    expect(summary.testMode).toBe(true);
  });
});

describe('evaluator handler: the exclusion list comes first', () => {
  it('puts nothing and throws ExclusionListUnavailableError when SSM denies access', async () => {
    // Prepare
    const { deps, logger } = prepare({ users: fakeUsers(3, () => true) });
    const denied = ssmError('AccessDeniedException');
    ssmMock.on(GetParameterCommand).rejects(denied);
    // Act
    const error = await createHandler(deps)(scheduledEvent(), lambdaContext()).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(ExclusionListUnavailableError);
    expect((error as Error).cause).toBe(denied);
    expect((error as Error).message).toContain(`SSM parameter ${PARAMETER}`);
    expect(configMock.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
    expect(iamMock.calls()).toHaveLength(0);
    const errors = logger.json().filter((l) => l.level === 'ERROR');
    expect(errors).toEqual([
      expect.objectContaining({
        errorName: 'ExclusionListUnavailableError',
        causes: ['AccessDeniedException: AccessDeniedException from the mock'],
        ruleName: RULE_NAME,
        accountId: ACCOUNT_ID,
      }),
    ]);
  });

  it('sends no evaluation and fails loudly when the parameter does not exist (a deleted list never widens revocation)', async () => {
    // Prepare: two of four users are stale; the exclusion parameter was deleted.
    const { deps, logger } = prepare({ users: fakeUsers(4, (i) => i < 2), exclusions: null });
    // Act
    const error = await createHandler(deps)(scheduledEvent(), lambdaContext()).catch((e: unknown) => e);
    // Assess: nothing reaches Config, so nothing can be remediated.
    expect(error).toBeInstanceOf(ExclusionListMissingError);
    expect(configMock.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
    expect(iamMock.calls()).toHaveLength(0);
    expect(ssmMock.commandCalls(GetParameterCommand, { Name: PARAMETER })).toHaveLength(1);
    const lines = logger.json();
    expect(lines).toContainEqual(expect.objectContaining({ ExclusionListMissing: 1, RunFailed: 1 }));
    expect(lines.at(-1)).toMatchObject({
      level: 'ERROR',
      message: 'evaluation run failed',
      errorName: 'ExclusionListMissingError',
    });
    expect(heartbeatsWritten()).toEqual([
      expect.objectContaining({
        ok: false,
        lastOkTime: null,
        exclusionParameterName: PARAMETER,
        exclusionParameterVersion: null,
        error: expect.objectContaining({ name: 'ExclusionListMissingError' }),
      }),
    ]);
  });

  it('reads "(none)" as no exclusions, writes an ok heartbeat and lists unmatched entries', async () => {
    // Prepare
    const { deps, logger } = prepare({
      users: fakeUsers(3, (i) => i === 0),
      exclusions: 'user-0001,typo-user',
    });
    // Act
    const summary = await createHandler(deps)(scheduledEvent(), lambdaContext());
    // Assess
    expect(summary).toMatchObject({ users: 3, nonCompliant: 1, excluded: 1 });
    expect(logger.json()).toContainEqual(
      expect.objectContaining({ level: 'WARN', unmatchedEntries: ['typo-user'], unmatchedCount: 1 }),
    );
    expect(logger.json()).toContainEqual(
      expect.objectContaining({ Heartbeat: 1, UnmatchedExclusionEntries: 1 }),
    );
    expect(heartbeatsWritten()).toEqual([
      {
        schema: 1,
        time: NOW.toISOString(),
        ok: true,
        lastOkTime: NOW.toISOString(),
        ruleName: RULE_NAME,
        strategy: 'per-user',
        usersEvaluated: 3,
        nonCompliant: 1,
        excluded: 1,
        exclusionParameterName: PARAMETER,
        exclusionParameterVersion: null,
        unmatchedEntries: ['typo-user'],
        unmatchedCount: 1,
        error: null,
      },
    ]);
  });

  it('writes no heartbeat in test mode', async () => {
    const { deps } = prepare({ users: fakeUsers(1) });
    await createHandler(deps)(scheduledEvent({ testMode: true, resultToken: undefined }), lambdaContext());
    expect(heartbeatsWritten()).toEqual([]);
  });

  it('reads the parameter named by the rule parameters', async () => {
    // Prepare
    const { deps } = prepare({ users: fakeUsers(1), exclusions: 'someone' });
    const event = scheduledEvent({
      ruleParameters: JSON.stringify({ ExclusionParameterName: '/team-a/keep' }),
    });
    // Act
    await createHandler(deps)(event, lambdaContext());
    // Assess
    expect(ssmMock.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({ Name: '/team-a/keep' });
  });

  it('puts nothing when an exclusion entry is malformed', async () => {
    // Prepare
    const { deps } = prepare({ users: fakeUsers(3, () => true), exclusions: 'alice, not a name!' });
    // Act
    const error = await createHandler(deps)(scheduledEvent(), lambdaContext()).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(InvalidExclusionListError);
    expect((error as Error).message).toContain('"not a name!"');
    expect((error as Error).message).toContain(PARAMETER);
    expect(configMock.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
  });

  it('reports an excluded stale user COMPLIANT with an EXCLUDED annotation', async () => {
    // Prepare
    const users = fakeUsers(3, () => true);
    const { deps } = prepare({ users, exclusions: `USER-0001\n${userId(2)}` });
    // Act
    const summary = await createHandler(deps)(scheduledEvent(), lambdaContext());
    // Assess
    const byId = new Map(allPut().map((e) => [e.ComplianceResourceId, e]));
    expect(byId.get(userId(0))?.ComplianceType).toBe('NON_COMPLIANT');
    expect(byId.get(userId(1))).toMatchObject({ ComplianceType: 'COMPLIANT' });
    expect(byId.get(userId(1))?.Annotation).toMatch(/^EXCLUDED user-0001 by name entry "USER-0001"/);
    expect(byId.get(userId(2))?.Annotation).toMatch(/^EXCLUDED user-0002 by UserId entry/);
    expect(summary).toMatchObject({
      users: 3,
      nonCompliant: 1,
      compliant: 2,
      excluded: 2,
      exclusionEntries: 2,
    });
  });
});

describe('evaluator handler: IAM failures never become verdicts', () => {
  it('sends no verdict for a user whose login profile cannot be read, and fails the run', async () => {
    // Prepare: 250 stale users; user 150 cannot be read.
    const users = fakeUsers(250, () => true);
    const { deps } = prepare({ users });
    const denied = iamError('AccessDenied');
    iamMock.on(GetLoginProfileCommand, { UserName: 'user-0150' }).rejects(denied);
    // Act
    const error = await createHandler(deps)(scheduledEvent(), lambdaContext()).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(IamReadError);
    expect((error as Error).message).toMatch(/GetLoginProfile failed for user user-0150 .*AccessDenied/);
    expect((error as Error).cause).toBe(denied);
    const put = allPut();
    expect(put.some((e) => e.ComplianceResourceId === userId(150))).toBe(false);
    // Only whole, correct batches were put before the failure: the first 100 users.
    expect(put.map((e) => e.ComplianceResourceId)).toEqual(users.slice(0, 100).map((u) => u.id));
    expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
  });

  it('fails with IamReadError when IAM keeps throttling after the SDK retries', async () => {
    // Prepare: the mock replaces send(), so this is what the handler sees once the SDK gave up.
    const { deps } = prepare({ users: fakeUsers(3) });
    iamMock.on(ListUsersCommand).rejects(iamError('Throttling', 'Rate exceeded'));
    // Act
    const error = await createHandler(deps)(scheduledEvent(), lambdaContext()).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(IamReadError);
    expect((error as Error).message).toMatch(
      /ListUsers failed for the account after the SDK's retries \(Throttling: Rate exceeded\)/,
    );
    expect(configMock.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
  });
});

describe('evaluator handler: users that no longer exist', () => {
  it('closes a user evaluated earlier but gone now as NOT_APPLICABLE', async () => {
    // Prepare
    const users = fakeUsers(3);
    const deleted = userId(900);
    const { deps } = prepare({ users, previous: [userId(0), deleted, userId(2)] });
    // Act
    const summary = await createHandler(deps)(scheduledEvent(), lambdaContext());
    // Assess
    expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)[0]?.args[0].input).toEqual({
      ConfigRuleName: RULE_NAME,
      ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
      Limit: 100,
    });
    const notApplicable = allPut().filter((e) => e.ComplianceType === 'NOT_APPLICABLE');
    expect(notApplicable).toEqual([
      {
        ComplianceResourceType: 'AWS::IAM::User',
        ComplianceResourceId: deleted,
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: USER_GONE_ANNOTATION,
        OrderingTimestamp: new Date(NOTIFICATION_TIME),
      },
    ]);
    expect(summary.notApplicable).toBe(1);
  });

  it('does not close a listed user skipped mid-run (renamed: its old name is gone), only users ListUsers lacks', async () => {
    // Prepare: user-0001 is renamed after ListUsers, so ListAccessKeys under the listed name answers
    // NoSuchEntity although its UserId still exists. userId(900) is really gone.
    const users = fakeUsers(3);
    const deleted = userId(900);
    const { deps } = prepare({ users, previous: [userId(0), userId(1), deleted, userId(2)] });
    iamMock
      .on(ListAccessKeysCommand, { UserName: 'user-0001' })
      .rejects(noSuchEntity('The user with name user-0001 cannot be found.'));
    // Act
    const summary = await createHandler(deps)(scheduledEvent(), lambdaContext());
    // Assess
    expect(allPut().map((e) => `${e.ComplianceResourceId} ${e.ComplianceType}`)).toEqual([
      `${userId(0)} COMPLIANT`,
      `${userId(2)} COMPLIANT`,
      `${deleted} NOT_APPLICABLE`,
    ]);
    expect(summary).toMatchObject({ users: 2, notApplicable: 1 });
  });

  it('evaluates a user whose old key is deleted (rotated) mid-run, without the deleted key', async () => {
    // Prepare: the stale key is deleted between ListAccessKeys and GetAccessKeyLastUsed.
    const users: FakeUser[] = [
      {
        name: 'rotor',
        id: userId(9),
        keys: [
          { id: 'AKIAROTATEDAWAY', created: daysAgo(300), lastUsed: daysAgo(200) },
          { id: 'AKIANEW', created: daysAgo(1) },
        ],
      },
    ];
    const { deps } = prepare({ users, previous: [userId(9)] });
    iamMock
      .on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIAROTATEDAWAY' })
      .rejects(noSuchEntity('The Access Key with id AKIAROTATEDAWAY cannot be found.'));
    // Act
    const summary = await createHandler(deps)(scheduledEvent(), lambdaContext());
    // Assess
    expect(allPut().map((e) => `${e.ComplianceResourceId} ${e.ComplianceType}`)).toEqual([
      `${userId(9)} COMPLIANT`,
    ]);
    expect(summary).toMatchObject({ users: 1, notApplicable: 0 });
  });

  it('reads every page of earlier results and closes more than 100 gone users in batches', async () => {
    // Prepare
    const users = fakeUsers(10);
    const gone = Array.from({ length: 140 }, (_, i) => userId(5000 + i));
    const { deps } = prepare({ users, previous: [...users.map((u) => u.id), ...gone] });
    // Act
    const summary = await createHandler(deps)(scheduledEvent(), lambdaContext());
    // Assess
    expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(2);
    expect(putCalls().map((c) => c.Evaluations?.length)).toEqual([10, 100, 40]);
    expect(
      allPut()
        .filter((e) => e.ComplianceType === 'NOT_APPLICABLE')
        .map((e) => e.ComplianceResourceId),
    ).toEqual(gone);
    expect(summary.notApplicable).toBe(140);
  });

  it('fails with ConfigReadError when the earlier results cannot be read', async () => {
    // Prepare
    const { deps } = prepare({ users: fakeUsers(2) });
    configMock.on(GetComplianceDetailsByConfigRuleCommand).rejects(ssmError('AccessDeniedException'));
    // Act
    const run = createHandler(deps)(scheduledEvent(), lambdaContext());
    // Assess
    await expect(run).rejects.toThrow(ConfigReadError);
    expect(putCalls()).toHaveLength(1);
  });
});

describe('evaluator handler: input validation', () => {
  it.each([
    [
      'a configuration change event',
      scheduledEvent({}, { messageType: 'ConfigurationItemChangeNotification' }),
      /ScheduledNotification/,
    ],
    ['an event without resultToken', scheduledEvent({ resultToken: undefined }), /resultToken/],
    [
      'an event with invalid invokingEvent JSON',
      scheduledEvent({ invokingEvent: '{not json' }),
      /not valid JSON/,
    ],
    [
      'an event without notificationCreationTime',
      scheduledEvent({}, { notificationCreationTime: 'yesterday' }),
      /notificationCreationTime/,
    ],
    ['an event without configRuleName', scheduledEvent({ configRuleName: '' }), /configRuleName/],
    ['something that is not an event', 'hello', /rule event object/],
  ])('rejects %s with InvalidEventError and calls nothing', async (_name, event, message) => {
    // Prepare
    const { deps, logger } = prepare({ users: fakeUsers(2) });
    // Act
    const run = createHandler(deps)(event, lambdaContext());
    // Assess
    await expect(run).rejects.toThrow(InvalidEventError);
    await expect(run).rejects.toThrow(message);
    expect(ssmMock.calls()).toHaveLength(0);
    expect(iamMock.calls()).toHaveLength(0);
    expect(configMock.calls()).toHaveLength(0);
    expect(logger.json().filter((l) => l.level === 'ERROR')).toEqual([
      expect.objectContaining({ errorName: 'InvalidEventError' }),
    ]);
  });

  it.each([
    ['a max age of 0', { MaxCredentialUsageAge: '0' }],
    ['a max age that is not a number', { MaxCredentialUsageAge: 'ninety' }],
    ['a parameter name that is not a path', { ExclusionParameterName: 'excluded-users' }],
  ])('rejects %s with InvalidRuleParameterError and puts nothing', async (_name, parameters) => {
    // Prepare
    const { deps } = prepare({ users: fakeUsers(2) });
    // Act
    const run = createHandler(deps)(
      scheduledEvent({ ruleParameters: JSON.stringify(parameters) }),
      lambdaContext(),
    );
    // Assess
    await expect(run).rejects.toThrow(InvalidRuleParameterError);
    // The exclusion list is never read; the only SSM calls leave the failed run's heartbeat.
    expect(ssmMock.commandCalls(GetParameterCommand, { Name: PARAMETER })).toHaveLength(0);
    expect(ssmMock.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'GetParameterCommand',
      'PutParameterCommand',
    ]);
    expect(heartbeatsWritten()).toEqual([expect.objectContaining({ ok: false, usersEvaluated: 0 })]);
    expect(configMock.calls()).toHaveLength(0);
  });

  it('uses the max age from the rule parameters', async () => {
    // Prepare: one key last used 40 days ago.
    const users: FakeUser[] = [
      { name: 'alice', id: userId(1), keys: [{ id: 'AKIA1', created: daysAgo(100), lastUsed: daysAgo(40) }] },
    ];
    const { deps } = prepare({ users });
    const event = scheduledEvent({ ruleParameters: JSON.stringify({ MaxCredentialUsageAge: 30 }) });
    // Act
    await createHandler(deps)(event, lambdaContext());
    // Assess
    expect(allPut()[0]).toMatchObject({
      ComplianceType: 'NON_COMPLIANT',
      Annotation: 'alice: key AKIA1 40d unused, limit 30d; will be revoked',
    });
  });
});

describe('evaluator handler: deadline', () => {
  it('stops starting users when time runs low, after putting only complete batches', async () => {
    // Prepare: plenty of time for the first 150 user checks, then under the margin.
    const { deps, logger } = prepare({ users: fakeUsers(250) });
    let checks = 0;
    const context = lambdaContext(() => (++checks > 150 ? 5_000 : 600_000));
    // Act
    const error = await createHandler(deps)(scheduledEvent(), context).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).message).toMatch(/100 users evaluated, 100 evaluations put/);
    expect((error as Error).message).toMatch(/timeout/);
    expect(putCalls().map((c) => c.Evaluations?.length)).toEqual([100]);
    // Lanes already busy finish their user; nobody new starts (8 lanes).
    expect(iamMock.commandCalls(GetLoginProfileCommand).length).toBeLessThanOrEqual(150 + 7);
    expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
    expect(logger.json().at(-1)).toMatchObject({
      level: 'ERROR',
      errorName: 'DeadlineExceededError',
      usersEvaluated: 100,
    });
  });
});

describe('evaluator handler: summary and metrics', () => {
  it('logs one summary line and the same numbers as EMF', async () => {
    // Prepare
    const users: FakeUser[] = [
      { name: 'stale', id: userId(1), loginProfileCreated: daysAgo(200), passwordLastUsed: daysAgo(120) },
      { name: 'fresh', id: userId(2), keys: [{ id: 'AKIA2', created: daysAgo(10) }] },
      {
        name: 'kept',
        id: userId(3),
        keys: [
          { id: 'AKIA3', created: daysAgo(300) },
          { id: 'AKIA4', status: 'Inactive', created: daysAgo(300) },
        ],
      },
    ];
    const { deps, logger } = prepare({ users, exclusions: 'kept', previous: [userId(9)] });
    const times = [NOW, NOW, new Date(NOW.getTime() + 1234)];
    const clock = () => times.shift() ?? new Date(NOW.getTime() + 9999);
    // Act
    await createHandler({ ...deps, clock })(scheduledEvent(), lambdaContext());
    // Assess
    const lines = logger.json();
    const summaries = lines.filter((l) => l.message === 'evaluation run complete');
    expect(summaries).toEqual([
      {
        level: 'INFO',
        message: 'evaluation run complete',
        ruleName: RULE_NAME,
        accountId: ACCOUNT_ID,
        strategy: 'per-user',
        maxAgeDays: 90,
        exclusionEntries: 1,
        users: 3,
        compliant: 2,
        nonCompliant: 1,
        excluded: 1,
        notApplicable: 1,
        evaluationsPut: 4,
        iamCalls: {
          byOperation: { GetAccessKeyLastUsed: 3, GetLoginProfile: 3, ListAccessKeys: 3, ListUsers: 1 },
          total: 10,
        },
        configCalls: { byOperation: { GetComplianceDetailsByConfigRule: 1, PutEvaluations: 2 }, total: 3 },
        durationMs: 1234,
        testMode: false,
      },
    ]);
    // The run's EMF line (the safety metrics have a line of their own, asserted below).
    const emf = lines.filter((l) => '_aws' in l && 'Users' in l);
    expect(emf).toHaveLength(1);
    expect(lines.filter((l) => '_aws' in l && 'Heartbeat' in l)).toEqual([
      expect.objectContaining({ Heartbeat: 1, UnmatchedExclusionEntries: 0 }),
    ]);
    expect(emf[0]).toEqual({
      _aws: {
        Timestamp: NOW.getTime(),
        CloudWatchMetrics: [
          {
            Namespace: METRIC_NAMESPACE,
            Dimensions: [['Service']],
            Metrics: [
              { Name: 'Users', Unit: 'Count' },
              { Name: 'NonCompliant', Unit: 'Count' },
              { Name: 'Excluded', Unit: 'Count' },
              { Name: 'NotApplicable', Unit: 'Count' },
              { Name: 'IamCalls', Unit: 'Count' },
              { Name: 'IamCalls.GetAccessKeyLastUsed', Unit: 'Count' },
              { Name: 'IamCalls.GetLoginProfile', Unit: 'Count' },
              { Name: 'IamCalls.ListAccessKeys', Unit: 'Count' },
              { Name: 'IamCalls.ListUsers', Unit: 'Count' },
              { Name: 'DurationMs', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      Service: 'iam-unused-cleanup-evaluator',
      Users: 3,
      NonCompliant: 1,
      Excluded: 1,
      NotApplicable: 1,
      IamCalls: 10,
      'IamCalls.GetAccessKeyLastUsed': 3,
      'IamCalls.GetLoginProfile': 3,
      'IamCalls.ListAccessKeys': 3,
      'IamCalls.ListUsers': 1,
      DurationMs: 1234,
      ConfigRuleName: RULE_NAME,
      AccountId: ACCOUNT_ID,
      Strategy: 'per-user',
    });
    expect(lines.filter((l) => l.level === 'ERROR')).toHaveLength(0);
  });

  it('uses an injected facts source and reports its strategy', async () => {
    // Prepare
    const { deps } = prepare({ users: [] });
    const factsSource = () => ({
      strategy: 'report-first' as const,
      async *gather() {
        yield {
          userName: 'x',
          userId: userId(7),
          passwordLastUsed: null,
          loginProfile: null,
          accessKeys: [],
        };
      },
    });
    // Act
    const summary = await createHandler({ ...deps, factsSource })(scheduledEvent(), lambdaContext());
    // Assess
    expect(summary).toMatchObject({ strategy: 'report-first', users: 1 });
    expect(iamMock.calls()).toHaveLength(0);
    expect(allPut().map((e) => e.ComplianceResourceId)).toEqual([userId(7)]);
  });
});

describe('evaluator handler: default facts source', () => {
  it('reads facts from the credential report first unless a source is injected', () => {
    // Act
    const source = defaultFactsSource({
      iam: new IAMClient({ region: 'us-east-1' }),
      logger: collectingLogger(),
    });
    // Assess
    expect(source.strategy).toBe('report-first');
  });
});
