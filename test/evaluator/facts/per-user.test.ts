import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  ListAccessKeysCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { IamReadError } from '../../../evaluator/errors';
import {
  daysAgo,
  type FakeUser,
  fakeUsers,
  iamError,
  noSuchEntity,
  serveIamAccount,
  userId,
} from '../handler-fixtures';
import { collect, gatherContext, gatherFacts, iamMock, source } from './per-user-fixture';

describe('per-user facts source', () => {
  it('reads password, login profile and every key with its last use', async () => {
    // Given
    const users: FakeUser[] = [
      {
        name: 'alice',
        id: userId(1),
        passwordLastUsed: daysAgo(5),
        loginProfileCreated: daysAgo(300),
        keys: [
          { id: 'AKIAUSED', created: daysAgo(200), lastUsed: daysAgo(2) },
          { id: 'AKIANEVER', created: daysAgo(100) },
          { id: 'AKIAOFF', status: 'Inactive', created: daysAgo(500), lastUsed: daysAgo(400) },
        ],
      },
      { name: 'bob', id: userId(2) },
    ];
    serveIamAccount(iamMock, users);
    const context = gatherContext();
    // When
    const facts = await gatherFacts({}, context);
    // Then
    expect(facts).toEqual([
      {
        userName: 'alice',
        userId: userId(1),
        passwordLastUsed: daysAgo(5),
        loginProfile: { createDate: daysAgo(300) },
        accessKeys: [
          { accessKeyId: 'AKIAUSED', status: 'Active', createDate: daysAgo(200), lastUsedDate: daysAgo(2) },
          { accessKeyId: 'AKIANEVER', status: 'Active', createDate: daysAgo(100), lastUsedDate: null },
          {
            accessKeyId: 'AKIAOFF',
            status: 'Inactive',
            createDate: daysAgo(500),
            lastUsedDate: daysAgo(400),
          },
        ],
      },
      { userName: 'bob', userId: userId(2), passwordLastUsed: null, loginProfile: null, accessKeys: [] },
    ]);
    expect(context.iamCalls.snapshot()).toEqual({
      GetAccessKeyLastUsed: 3,
      GetLoginProfile: 2,
      ListAccessKeys: 2,
      ListUsers: 1,
    });
    expect(iamMock.commandCalls(GetAccessKeyLastUsedCommand).map((c) => c.args[0].input.AccessKeyId)).toEqual(
      ['AKIAUSED', 'AKIANEVER', 'AKIAOFF'],
    );
  });

  it('follows ListUsers markers past 1000 users and keeps their order', async () => {
    // Given
    const users = fakeUsers(1203);
    serveIamAccount(iamMock, users, { usersPerPage: 1000 });
    const context = gatherContext();
    // When
    const facts = await gatherFacts({ concurrency: 16 }, context);
    // Then
    expect(facts.map((f) => f.userId)).toEqual(users.map((u) => u.id));
    expect(iamMock.commandCalls(ListUsersCommand).map((c) => c.args[0].input)).toEqual([
      { MaxItems: 1000 },
      { MaxItems: 1000, Marker: 'users-from-1000' },
    ]);
    expect(context.iamCalls.total).toBe(2 + 3 * 1203);
  });

  it('follows ListAccessKeys markers', async () => {
    // Given
    const keys = Array.from({ length: 5 }, (_, i) => ({ id: `AKIA${i}`, created: daysAgo(10 + i) }));
    serveIamAccount(iamMock, [{ name: 'many-keys', id: userId(1), keys }], { keysPerPage: 2 });
    // When
    const [facts] = await gatherFacts();
    // Then
    expect(facts?.accessKeys.map((k) => k.accessKeyId)).toEqual(keys.map((k) => k.id));
    expect(iamMock.commandCalls(ListAccessKeysCommand).map((c) => c.args[0].input)).toEqual([
      { UserName: 'many-keys', MaxItems: 1000 },
      { UserName: 'many-keys', MaxItems: 1000, Marker: 'keys-from-2' },
      { UserName: 'many-keys', MaxItems: 1000, Marker: 'keys-from-4' },
    ]);
  });

  it('fails with IamReadError naming user and operation when GetLoginProfile is denied', async () => {
    // Given
    serveIamAccount(iamMock, fakeUsers(3));
    const denied = iamError('AccessDenied', 'not authorized to perform iam:GetLoginProfile');
    iamMock.on(GetLoginProfileCommand, { UserName: 'user-0001' }).rejects(denied);
    // When
    const error = await gatherFacts().catch((e: unknown) => e);
    // Then
    expect(error).toBeInstanceOf(IamReadError);
    expect((error as Error).message).toContain('IAM GetLoginProfile failed for user user-0001 after');
    expect((error as Error).cause).toBe(denied);
  });

  it.each([
    ['ListUsers', (e: Error) => iamMock.on(ListUsersCommand).rejects(e)],
    ['ListAccessKeys', (e: Error) => iamMock.on(ListAccessKeysCommand).rejects(e)],
    ['GetAccessKeyLastUsed', (e: Error) => iamMock.on(GetAccessKeyLastUsedCommand).rejects(e)],
  ] as const)(
    'fails with IamReadError when %s throttles beyond the SDK retries',
    async (operation, failWith) => {
      // Given
      serveIamAccount(iamMock, fakeUsers(2));
      const throttled = iamError('Throttling', 'Rate exceeded');
      failWith(throttled);
      // When
      const error = await gatherFacts().catch((e: unknown) => e);
      // Then
      expect(error).toBeInstanceOf(IamReadError);
      expect((error as Error).message).toContain(`IAM ${operation}`);
      expect((error as Error).cause).toBe(throttled);
    },
  );

  it('skips and logs a user deleted between ListUsers and ListAccessKeys', async () => {
    // Given: user-0001 is listed but gone by the time its keys are listed.
    const users = fakeUsers(3);
    serveIamAccount(iamMock, users);
    iamMock
      .on(ListAccessKeysCommand, { UserName: 'user-0001' })
      .rejects(noSuchEntity('The user cannot be found.'));
    const { source: src, logger } = source();
    // When
    const facts = await collect(src.gather(gatherContext()));
    // Then
    expect(facts.map((f) => f.userName)).toEqual(['user-0000', 'user-0002']);
    expect(logger.json()).toEqual([
      expect.objectContaining({
        level: 'WARN',
        userName: 'user-0001',
        userId: userId(1),
        operation: 'ListAccessKeys',
      }),
    ]);
  });
});
