import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  ListAccessKeysCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { DeadlineExceededError, IamReadError } from '../../../evaluator/errors';
import {
  daysAgo,
  type FakeUser,
  fakeUsers,
  noSuchEntity,
  serveIamAccount,
  userId,
} from '../handler-fixtures';
import { collect, gatherContext, gatherFacts, iamMock, source } from './per-user-fixture';

describe('per-user facts source (failures and limits)', () => {
  it('drops a key deleted between ListAccessKeys and GetAccessKeyLastUsed and still yields its user', async () => {
    // Given: a rotation deletes alice's old key after her keys were listed.
    const users: FakeUser[] = [
      {
        name: 'alice',
        id: userId(1),
        keys: [
          { id: 'AKIAROTATEDAWAY', created: daysAgo(300), lastUsed: daysAgo(200) },
          { id: 'AKIANEW', created: daysAgo(1) },
        ],
      },
    ];
    serveIamAccount(iamMock, users);
    iamMock
      .on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIAROTATEDAWAY' })
      .rejects(noSuchEntity('The Access Key with id AKIAROTATEDAWAY cannot be found.'));
    const { source: src, logger } = source();
    // When
    const facts = await collect(src.gather(gatherContext()));
    // Then
    expect(facts).toEqual([
      {
        userName: 'alice',
        userId: userId(1),
        passwordLastUsed: null,
        loginProfile: null,
        accessKeys: [
          { accessKeyId: 'AKIANEW', status: 'Active', createDate: daysAgo(1), lastUsedDate: null },
        ],
      },
    ]);
    expect(logger.json()).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'access key deleted during the run: dropped from the facts',
        userId: userId(1),
        accessKeyId: 'AKIAROTATEDAWAY',
      }),
    ]);
  });

  it('reports every listed UserId before yielding, also those it then skips', async () => {
    // Given: user-0001 is renamed after ListUsers, so its old name answers NoSuchEntity.
    serveIamAccount(iamMock, fakeUsers(3), { usersPerPage: 2 });
    iamMock
      .on(ListAccessKeysCommand, { UserName: 'user-0001' })
      .rejects(noSuchEntity('The user with name user-0001 cannot be found.'));
    const events: string[] = [];
    const context = gatherContext({ usersListed: (ids) => events.push(`listed ${ids.join(',')}`) });
    // When
    for await (const user of source().source.gather(context)) events.push(`yielded ${user.userId}`);
    // Then
    expect(events).toEqual([
      `listed ${userId(0)},${userId(1)},${userId(2)}`,
      `yielded ${userId(0)}`,
      `yielded ${userId(2)}`,
    ]);
  });

  it('refuses to guess an access key status it does not know', async () => {
    // Given
    serveIamAccount(iamMock, fakeUsers(1));
    iamMock.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [
        { UserName: 'user-0000', AccessKeyId: 'AKIAX', Status: 'Expired', CreateDate: daysAgo(1) },
      ],
      IsTruncated: false,
    });
    // When
    const run = gatherFacts();
    // Then
    await expect(run).rejects.toThrow(IamReadError);
    await expect(run).rejects.toThrow(/status "Expired" for key AKIAX of user user-0000/);
  });

  it('fails when ListUsers claims more pages without a marker', async () => {
    // Given
    iamMock.on(ListUsersCommand).resolves({ Users: [], IsTruncated: true });
    // When
    const run = gatherFacts();
    // Then
    await expect(run).rejects.toThrow(/no Marker/);
  });

  it('fails when ListAccessKeys claims more pages without a marker', async () => {
    // Given
    serveIamAccount(iamMock, fakeUsers(1));
    iamMock.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [], IsTruncated: true });
    // When
    const run = gatherFacts();
    // Then
    await expect(run).rejects.toThrow(IamReadError);
    await expect(run).rejects.toThrow(/ListAccessKeys for user user-0000 .*no Marker/);
  });

  it('checks the deadline before each user and starts nobody after it passes', async () => {
    // Given
    serveIamAccount(iamMock, fakeUsers(20));
    const checked: string[] = [];
    const deadline = {
      remainingMs: () => 0,
      check(what: string) {
        checked.push(what);
        // One check before the ListUsers page, then one before each user.
        if (checked.length > 6) throw new DeadlineExceededError(`stop before ${what}`);
      },
    };
    // When
    const run = gatherFacts({ concurrency: 1 }, gatherContext({ deadline }));
    // Then
    await expect(run).rejects.toThrow('stop before reading user user-0005');
    expect(checked).toEqual([
      'listing IAM users',
      ...[0, 1, 2, 3, 4, 5].map((i) => `reading user user-000${i}`),
    ]);
    expect(iamMock.commandCalls(GetLoginProfileCommand)).toHaveLength(5);
  });

  it('keeps at most `concurrency` users in flight', async () => {
    // Given
    serveIamAccount(iamMock, fakeUsers(30));
    let inFlight = 0;
    let peak = 0;
    iamMock.on(GetLoginProfileCommand).callsFake(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      throw noSuchEntity('no login profile');
    });
    // When
    const facts = await gatherFacts({ concurrency: 4 });
    // Then
    expect(facts).toHaveLength(30);
    expect(peak).toBe(4);
  });

  it('yields users chunk by chunk, so the consumer can act before every user is read', async () => {
    // Given
    serveIamAccount(iamMock, fakeUsers(25));
    const iterator = source({ chunkSize: 10 }).source.gather(gatherContext())[Symbol.asyncIterator]();
    // When
    const first = await iterator.next();
    // Then
    expect(first.value?.userName).toBe('user-0000');
    expect(iamMock.commandCalls(GetLoginProfileCommand)).toHaveLength(10);
  });
});
