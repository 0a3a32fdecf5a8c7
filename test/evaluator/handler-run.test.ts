import { GetComplianceDetailsByConfigRuleCommand } from '@aws-sdk/client-config-service';
import { GetLoginProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { DeadlineExceededError } from '../../evaluator/errors';
import { createHandler, defaultFactsSource } from '../../evaluator/handler';
import { METRIC_NAMESPACE } from '../../evaluator/observability';
import {
  ACCOUNT_ID,
  collectingLogger,
  daysAgo,
  type FakeUser,
  fakeUsers,
  lambdaContext,
  NOW,
  RULE_NAME,
  scheduledEvent,
  userId,
} from './handler-fixtures';

import { allPut, configMock, iamMock, prepare, putCalls } from './handler-setup';

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
    // One read, before any user: what Config holds (write only what changed). No second listing
    // for users that are gone once the run failed.
    expect(configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(1);
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
