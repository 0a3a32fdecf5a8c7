import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { WarningDetail } from '../../../evaluator/warnings/event';
import { createDigestHandler } from '../../../infra/lambda/warning-digest';
import { createNotifyHandler } from '../../../infra/lambda/warning-notify';
import { type ArchivedEvent, buildDigest, digestText } from '../../../infra/lambda/warnings/digest';
import {
  ArchiveReadError,
  type LogsInsightsApi,
  readArchive,
} from '../../../infra/lambda/warnings/logs-archive';
import { warningNotification } from '../../../infra/lambda/warnings/notify-message';

const TOPIC = 'arn:aws:sns:eu-west-1:222222222222:iam-unused-cleanup-notifications';
const NOW = new Date('2026-12-02T07:00:00.000Z');
const sns = mockClient(SNSClient);
beforeEach(() => sns.reset());

function detail(overrides: Partial<WarningDetail> = {}): WarningDetail {
  return {
    accountId: '111111111111',
    userName: 'alice',
    userId: 'AIDA00000000000000001',
    credential: { type: 'accessKey', accessKeyId: 'AKIA0000000000000001' },
    lastUsed: '2026-09-09T10:00:00.000Z',
    revokeOn: '2026-12-08',
    staleAt: '2026-12-08T10:00:00.000Z',
    daysLeft: 7,
    warning: 'entering-window',
    ownerTags: { owner: 'team-a', email: 'a@example.com' },
    ...overrides,
  };
}

function warningEvent(d: WarningDetail, time: string): ArchivedEvent {
  return {
    account: d.accountId,
    time,
    source: 'iam-unused-cleanup',
    'detail-type': 'Credential Revocation Warning',
    detail: { ...d },
  };
}

function remediationEvent(account: string, status: string, time: string): ArchivedEvent {
  return {
    account,
    time,
    source: 'aws.ssm',
    'detail-type': 'EC2 Automation Execution Status-change Notification',
    detail: {
      ExecutionId: `exec-${status}`,
      Definition: 'AWSConfigRemediation-RevokeUnusedIAMUserCredentials',
      Status: status,
    },
  };
}

describe('warning notification', () => {
  it('sets the owner tags, the account and the type as message attributes (for filter policies)', () => {
    const input = warningNotification(TOPIC, detail({ ownerTags: { owner: 'team-a', email: '' } }));
    expect(input.MessageAttributes).toEqual({
      notificationType: { DataType: 'String', StringValue: 'warning' },
      accountId: { DataType: 'String', StringValue: '111111111111' },
      owner: { DataType: 'String', StringValue: 'team-a' },
    });
    expect(input.Subject).toBe(
      'IAM access key AKIA0000000000000001 of alice (111111111111) revoked on 2026-12-08',
    );
    expect(input.Message).toMatch(
      /^The access key AKIA0000000000000001 of IAM user alice .* will be revoked on 2026-12-08, in 7 days/,
    );
  });

  it('keeps the subject within SNS limits (printable ASCII, 100 characters)', () => {
    const input = warningNotification(
      TOPIC,
      detail({ userName: `${'x'.repeat(64)}é`, credential: { type: 'password' } }),
    );
    expect(input.Subject?.length).toBeLessThanOrEqual(100);
    expect(input.Subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('the notify function publishes, and a failed Publish fails the invocation (Lambda retries)', async () => {
    sns
      .on(PublishCommand)
      .resolvesOnce({ MessageId: 'm-1' })
      .rejects(
        new SNSServiceException({
          name: 'KMSAccessDeniedException',
          message: 'no',
          $fault: 'client',
          $metadata: {},
        }),
      );
    const notify = createNotifyHandler({ sns: new SNSClient({}), topicArn: TOPIC });
    expect(await notify({ detail: detail() })).toEqual({ messageId: 'm-1' });
    await expect(notify({ detail: detail() })).rejects.toThrow(/no/);
  });
});

describe('daily digest', () => {
  const events = [
    warningEvent(detail(), '2026-12-01T10:00:00Z'),
    warningEvent(
      detail({ userName: 'bob', userId: 'AIDA2', revokeOn: '2026-12-03', daysLeft: 1, warning: 'last-day' }),
      '2026-12-02T03:00:00Z',
    ),
    // Warned five days ago (outside the period) and still due: listed as due only.
    warningEvent(
      detail({ userName: 'carol', userId: 'AIDA3', revokeOn: '2026-12-05', daysLeft: 7 }),
      '2026-11-28T03:00:00Z',
    ),
    // Due date passed: not due any more.
    warningEvent(
      detail({ userName: 'dave', userId: 'AIDA4', revokeOn: '2026-12-01' }),
      '2026-11-24T03:00:00Z',
    ),
    remediationEvent('111111111111', 'Success', '2026-12-02T04:00:00Z'),
    remediationEvent('111111111111', 'Failed', '2026-12-02T04:05:00Z'),
    remediationEvent('333333333333', 'Success', '2026-11-30T04:00:00Z'), // before the period
  ];

  it('per account: warned in the last 24 h, remediation outcomes, revocations due in 7 days', () => {
    const [first, ...others] = buildDigest(events, NOW);
    expect(first?.accountId).toBe('111111111111');
    expect(first?.warned.map((w) => w.userName)).toEqual(['alice', 'bob']);
    expect(first?.remediations.map((r) => r.status)).toEqual(['Success', 'Failed']);
    expect(first?.due.map((w) => `${w.revokeOn} ${w.userName}`)).toEqual([
      '2026-12-03 bob',
      '2026-12-05 carol',
      '2026-12-08 alice',
    ]);
    // Account 333333333333 has nothing in the period: it is left out.
    expect(others).toEqual([]);
  });

  it('renders a readable text', () => {
    const text = digestText(buildDigest(events, NOW), NOW);
    expect(text).toContain(
      'Account 111111111111\n  Warned (2):\n    alice key AKIA0000000000000001 (owner=team-a email=a@example.com), 7d left',
    );
    expect(text).toContain(
      '  Remediation runs (2: 1 Success, 1 Failed):\n    Success   exec-Success at 2026-12-02T04:00:00Z',
    );
    expect(text).toContain('  Due in the next 7 days (3):\n    2026-12-03 bob key');
  });

  it('the digest function reads 8 days of archive and publishes one message', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'd-1' });
    const queries: { startTime: number; endTime: number }[] = [];
    const logs: LogsInsightsApi = {
      startQuery: async (input) => {
        queries.push(input);
        return { queryId: 'q-1' };
      },
      getQueryResults: async () => ({
        status: 'Complete',
        results: events.map((e) => [{ field: '@message', value: JSON.stringify(e) }]),
      }),
    };
    const digest = createDigestHandler({
      sns: new SNSClient({}),
      logs,
      topicArn: TOPIC,
      archiveLogGroup: '/a',
      clock: () => NOW,
    });
    expect(await digest()).toEqual({ accounts: 1 });
    expect(queries).toEqual([
      expect.objectContaining({ startTime: NOW.getTime() / 1000 - 8 * 86400, endTime: NOW.getTime() / 1000 }),
    ]);
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.Subject).toBe('iam-unused-cleanup digest 2026-12-02: 2 warned, 2 remediation runs, 3 due');
    expect(input?.MessageAttributes).toEqual({
      notificationType: { DataType: 'String', StringValue: 'digest' },
    });
  });
});

describe('archive reader (Logs Insights)', () => {
  const api = (results: Partial<LogsInsightsApi>): LogsInsightsApi => ({
    startQuery: async () => ({ queryId: 'q' }),
    getQueryResults: async () => ({ status: 'Complete', results: [] }),
    ...results,
  });
  const read = (a: LogsInsightsApi) =>
    readArchive(a, '/a', new Date(0), NOW, { sleep: async () => undefined, maxPolls: 3 });

  it('polls while the query runs', async () => {
    const statuses = ['Scheduled', 'Running', 'Complete'];
    const rows = [[{ field: '@message', value: JSON.stringify(remediationEvent('1', 'Success', 't')) }]];
    const got = await read(
      api({ getQueryResults: async () => ({ status: statuses.shift(), results: rows }) }),
    );
    expect(got).toHaveLength(1);
  });

  it.each([
    [
      'StartQuery throws',
      api({ startQuery: async () => Promise.reject(new Error('ThrottlingException')) }),
      /StartQuery on \/a failed/,
    ],
    ['no query id', api({ startQuery: async () => ({}) }), /returned no queryId/],
    [
      'GetQueryResults throws',
      api({ getQueryResults: async () => Promise.reject(new Error('AccessDenied')) }),
      /GetQueryResults q failed/,
    ],
    ['query failed', api({ getQueryResults: async () => ({ status: 'Failed' }) }), /ended as Failed/],
    [
      'never completes',
      api({ getQueryResults: async () => ({ status: 'Running' }) }),
      /did not complete in time/,
    ],
    [
      'bad row',
      api({
        getQueryResults: async () => ({ status: 'Complete', results: [[{ field: '@message', value: 'x' }]] }),
      }),
      /not JSON/,
    ],
    [
      '10,000 rows (truncated)',
      api({
        getQueryResults: async () => ({
          status: 'Complete',
          results: Array.from({ length: 10_000 }, () => []),
        }),
      }),
      /would be incomplete/,
    ],
  ])('%s: ArchiveReadError, no partial digest', async (_name, a, message) => {
    const error = await read(a).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveReadError);
    expect(String((error as Error).message)).toMatch(message);
  });
});
