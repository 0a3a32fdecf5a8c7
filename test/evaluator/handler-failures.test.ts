import {
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  ListAccessKeysCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { USER_GONE_ANNOTATION } from '../../evaluator/aws/config-evaluations';
import {
  ConfigReadError,
  IamReadError,
  InvalidEventError,
  InvalidRuleParameterError,
} from '../../evaluator/errors';
import { createHandler } from '../../evaluator/handler';
import {
  daysAgo,
  type FakeUser,
  fakeUsers,
  iamError,
  lambdaContext,
  NOTIFICATION_TIME,
  noSuchEntity,
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
    // One read, before any user: what Config holds (write only what changed). No second listing
    // for users that are gone once the run failed.
    expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(1);
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
      // Dates, not ages, so an unchanged verdict's annotation stays true; then its state token.
      Annotation:
        'alice: unused for 30d or more: key AKIA1 last used 2025-04-22; will be revoked [v1 N AKIA1]',
    });
  });
});
