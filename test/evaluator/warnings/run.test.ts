import {
  EventBridgeClient,
  EventBridgeServiceException,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { IAMClient, IAMServiceException, ListUserTagsCommand } from '@aws-sdk/client-iam';
import {
  GetParameterCommand,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { decide, MS_PER_DAY, type UserFacts } from '../../../evaluator/decision';
import { ExclusionList } from '../../../evaluator/exclusions';
import { WARNING_DETAIL_TYPE, WARNING_EVENT_SOURCE } from '../../../evaluator/warnings/event';
import { WarningRun } from '../../../evaluator/warnings/run';
import { collectingLogger } from '../handler-fixtures';
import { acceptedDetails, warningAccount } from './run-fixture';

const NOW = new Date('2026-12-02T10:00:00.000Z');
const MAX = 90;

/** A user whose one active key turns stale `left` days after NOW. */
function userWithDaysLeft(i: number, left: number): UserFacts {
  return {
    userName: `user-${i}`,
    userId: `AIDA${String(i).padStart(17, '0')}`,
    passwordLastUsed: null,
    loginProfile: null,
    accessKeys: [
      {
        accessKeyId: `AKIA${String(i).padStart(16, '0')}`,
        status: 'Active',
        createDate: new Date('2020-01-01T00:00:00Z'),
        lastUsedDate: new Date(NOW.getTime() - (MAX - left) * MS_PER_DAY),
      },
    ],
  };
}

let account: ReturnType<typeof warningAccount>;
beforeEach(() => {
  account = warningAccount();
});

function runWith(users: readonly UserFacts[], options: { testMode?: boolean; now?: Date } = {}) {
  const logger = collectingLogger();
  const now = options.now ?? NOW;
  const run = new WarningRun(
    { events: new EventBridgeClient({}), iam: new IAMClient({}), ssm: new SSMClient({}), logger },
    {
      maxAgeDays: MAX,
      warnDays: 7,
      ownerTagKeys: ['owner', 'email'],
      now,
      accountId: '111111111111',
      testMode: options.testMode ?? false,
    },
  );
  for (const u of users) run.consider(decide(u, { maxAgeDays: MAX, exclusions: ExclusionList.EMPTY }, now));
  return { run, logger };
}

describe('WarningRun.deliver', () => {
  it('puts one event per warned credential, with owner tags, and records the run', async () => {
    // Given one user entering the window and one far from it
    const { run } = runWith([userWithDaysLeft(1, 7), userWithDaysLeft(2, 30)]);
    // When the run delivers
    const stats = await run.deliver();
    // Then one event in the agreed shape, and the state moved to NOW
    expect(stats).toMatchObject({ inWindow: 1, sent: 1, failed: 0, putEventsCalls: 1, delivered: true });
    const [entry] = account.world.accepted;
    expect(entry).toMatchObject({ Source: WARNING_EVENT_SOURCE, DetailType: WARNING_DETAIL_TYPE });
    expect(acceptedDetails(account.world.accepted)).toEqual([
      {
        accountId: '111111111111',
        userName: 'user-1',
        userId: 'AIDA00000000000000001',
        credential: { type: 'accessKey', accessKeyId: 'AKIA0000000000000001' },
        lastUsed: '2026-09-10T10:00:00.000Z',
        revokeOn: '2026-12-09',
        staleAt: '2026-12-09T10:00:00.000Z',
        daysLeft: 7,
        warning: 'entering-window',
        ownerTags: { owner: 'user-1-team' },
      },
    ]);
    expect(account.world.state).toBe(NOW.toISOString());
    expect(account.iam.commandCalls(ListUserTagsCommand)).toHaveLength(1);
  });

  it('batches 25 warnings into ceil(25 / 10) = 3 PutEvents calls', async () => {
    const { run } = runWith(Array.from({ length: 25 }, (_, i) => userWithDaysLeft(i, 3)));
    const stats = await run.deliver();
    expect(account.events.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length)).toEqual(
      [10, 10, 5],
    );
    expect(stats).toMatchObject({ sent: 25, putEventsCalls: 3, listUserTagsCalls: 25 });
  });

  it('a second run on the same day sends nothing (deduplicated by the recorded run)', async () => {
    await runWith([userWithDaysLeft(1, 7)]).run.deliver();
    const later = new Date(NOW.getTime() + 60 * 60 * 1000);
    const stats = await runWith([userWithDaysLeft(1, 7)], { now: later }).run.deliver();
    expect(stats).toMatchObject({ inWindow: 0, sent: 0, putEventsCalls: 0, delivered: true });
    expect(account.world.accepted).toHaveLength(1);
  });

  it('PutEvents throwing: nothing recorded, logged and counted, the next run resends', async () => {
    // Given PutEvents denied
    account.events.on(PutEventsCommand).rejects(
      new EventBridgeServiceException({
        name: 'AccessDeniedException',
        message: 'no',
        $fault: 'client',
        $metadata: {},
      }),
    );
    const { run, logger } = runWith([userWithDaysLeft(1, 7), userWithDaysLeft(2, 5)]);
    // When it delivers; Then it does not throw, counts both failed, keeps the state
    const stats = await run.deliver();
    expect(stats).toMatchObject({ sent: 0, failed: 2, delivered: false });
    expect(account.world.state).toBeUndefined();
    const lines = logger.json();
    expect(lines.find((l) => l.message === 'warnings run')).toMatchObject({
      level: 'WARN',
      retry: 'next run',
      errors: ['AccessDeniedException: no'],
    });
    expect(lines.find((l) => '_aws' in l)).toMatchObject({ WarningFailures: 2, WarningsSent: 0 });
  });

  it('PutEvents partial failure (FailedEntryCount): counted per entry, state not moved', async () => {
    account.events.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'e-1' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
    });
    const { run, logger } = runWith([userWithDaysLeft(1, 7), userWithDaysLeft(2, 5)]);
    const stats = await run.deliver();
    expect(stats).toMatchObject({ sent: 1, failed: 1, delivered: false });
    expect(account.world.state).toBeUndefined();
    expect(logger.json().find((l) => l.message === 'warnings run')?.errors).toEqual([
      'ThrottlingException: slow down',
    ]);
  });

  it('unreadable tags: the warning goes out marked ownerTagsUnavailable, and the failure is counted', async () => {
    account.iam
      .on(ListUserTagsCommand)
      .rejects(
        new IAMServiceException({ name: 'AccessDenied', message: 'no', $fault: 'client', $metadata: {} }),
      );
    const { run, logger } = runWith([userWithDaysLeft(1, 7)]);
    const stats = await run.deliver();
    expect(stats.sent).toBe(1);
    expect(acceptedDetails(account.world.accepted)[0]).toMatchObject({
      ownerTags: {},
      ownerTagsUnavailable: true,
    });
    expect(logger.json().find((l) => '_aws' in l)).toMatchObject({ WarningFailures: 1 });
  });

  it('state unreadable: no warning is sent this run (it would repeat every run), logged', async () => {
    account.ssm.on(GetParameterCommand).rejects(
      new SSMServiceException({
        name: 'AccessDeniedException',
        message: 'no',
        $fault: 'client',
        $metadata: {},
      }),
    );
    const { run, logger } = runWith([userWithDaysLeft(1, 7)]);
    const stats = await run.deliver();
    expect(stats).toMatchObject({ sent: 0, putEventsCalls: 0, delivered: false });
    expect(String(logger.json().find((l) => l.message === 'warnings run')?.errors)).toMatch(
      /WarningStateError: Reading the warnings' last delivery .* failed \(AccessDeniedException: no\)/,
    );
  });

  it('state unwritable after a good put: warnings counted sent, the failure logged', async () => {
    account.ssm.on(PutParameterCommand).rejects(
      new SSMServiceException({
        name: 'ThrottlingException',
        message: 'slow',
        $fault: 'client',
        $metadata: {},
      }),
    );
    const { run, logger } = runWith([userWithDaysLeft(1, 7)]);
    const stats = await run.deliver();
    expect(stats).toMatchObject({ sent: 1, delivered: false });
    expect(logger.json().find((l) => '_aws' in l)).toMatchObject({ WarningFailures: 1, WarningsSent: 1 });
  });

  it('an invalid state value counts as absent (warn once), with a log line', async () => {
    account.world.state = 'yesterday';
    const { run, logger } = runWith([userWithDaysLeft(1, 5)]);
    expect((await run.deliver()).sent).toBe(1);
    expect(
      logger.json().some((l) => l.message === 'warnings state is not an ISO instant; treated as absent'),
    ).toBe(true);
  });

  it('test mode sends and records nothing, and logs what it would send', async () => {
    const { run, logger } = runWith([userWithDaysLeft(1, 7)], { testMode: true });
    const stats = await run.deliver();
    expect(stats).toMatchObject({ inWindow: 1, sent: 0, delivered: false });
    expect(account.events.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(account.world.state).toBeUndefined();
    expect(logger.json().find((l) => l.message === 'warnings not sent (test mode)')?.warnings).toHaveLength(
      1,
    );
  });
});
