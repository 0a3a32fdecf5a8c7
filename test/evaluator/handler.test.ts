import {
  type Evaluation,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { ExclusionListMissingError } from '../../evaluator/aws/exclusion-parameter';
import {
  ExclusionListUnavailableError,
  InvalidExclusionListError,
  PutEvaluationsError,
} from '../../evaluator/errors';
import { createHandler } from '../../evaluator/handler';
import {
  ACCOUNT_ID,
  fakeUsers,
  lambdaContext,
  NOTIFICATION_TIME,
  NOW,
  RULE_NAME,
  scheduledEvent,
  userId,
} from './handler-fixtures';

import {
  allPut,
  configMock,
  heartbeatsWritten,
  iamMock,
  PARAMETER,
  prepare,
  putCalls,
  ssmError,
  ssmMock,
} from './handler-setup';

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
    // One read, before any user: what Config holds (write only what changed). No second listing
    // for users that are gone once the run failed.
    expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(1);
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
