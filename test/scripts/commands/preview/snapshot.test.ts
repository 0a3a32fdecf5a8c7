import { describe, expect, it } from 'vitest';
import { parseSnapshot, readSnapshot } from '../../../../scripts/commands/preview/snapshot';
import { UsageError } from '../../../../scripts/lib/terminal/errors';

describe('readSnapshot', () => {
  const base = {
    accountId: '111111111111',
    users: [
      {
        userName: 'alice',
        userId: 'AIDAAAAAAAAAAAAAAAA1',
        createDate: '2025-01-01T00:00:00Z',
        passwordLastUsed: '2025-02-01T00:00:00+01:00',
        loginProfile: { createDate: '2025-01-02T00:00:00Z' },
        accessKeys: [
          { accessKeyId: 'AKIAAAAAAAAAAAAAAAA1', status: 'Active', createDate: '2025-01-03T00:00:00Z' },
          {
            accessKeyId: 'AKIAAAAAAAAAAAAAAAA2',
            status: 'Inactive',
            createDate: '2025-01-04T00:00:00Z',
            lastUsedDate: '2025-01-05T00:00:00Z',
          },
        ],
      },
    ],
  };

  it('turns the document into the facts the decision takes', () => {
    // Given the valid document above, When read, Then
    expect(readSnapshot(base, 'test')).toEqual({
      accountId: '111111111111',
      users: [
        {
          userName: 'alice',
          userId: 'AIDAAAAAAAAAAAAAAAA1',
          passwordLastUsed: new Date('2025-01-31T23:00:00Z'),
          loginProfile: { createDate: new Date('2025-01-02T00:00:00Z') },
          accessKeys: [
            {
              accessKeyId: 'AKIAAAAAAAAAAAAAAAA1',
              status: 'Active',
              createDate: new Date('2025-01-03T00:00:00Z'),
              lastUsedDate: null,
            },
            {
              accessKeyId: 'AKIAAAAAAAAAAAAAAAA2',
              status: 'Inactive',
              createDate: new Date('2025-01-04T00:00:00Z'),
              lastUsedDate: new Date('2025-01-05T00:00:00Z'),
            },
          ],
        },
      ],
    });
  });

  /** The valid document above with one change. */
  function broken(mutate: (doc: typeof base & Record<string, unknown>) => void): unknown {
    const doc = structuredClone(base) as typeof base & Record<string, unknown>;
    mutate(doc);
    return doc;
  }

  /** The valid document with one field of its user set to `value`. */
  const withUserField = (field: string, value: unknown) =>
    broken((d) => {
      (d.users[0] as Record<string, unknown>)[field] = value;
    });

  /** The valid document with one field of the user's key `k` set to `value`. */
  const withKeyField = (k: number, field: string, value: unknown) =>
    broken((d) => {
      (d.users[0]?.accessKeys[k] as Record<string, unknown>)[field] = value;
    });

  it.each([
    ['a non-object', [], 'test: the document must be a JSON object, got []'],
    [
      'no accountId',
      broken((d) => Reflect.deleteProperty(d, 'accountId')),
      'accountId must be a 12-digit AWS account id, got nothing (the field is missing)',
    ],
    [
      'a short accountId',
      broken((d) => {
        d.accountId = '1234';
      }),
      'accountId must be a 12-digit AWS account id, got "1234"',
    ],
    [
      'users not an array',
      broken((d) => {
        d.users = {} as never;
      }),
      'users must be a JSON array, got {}',
    ],
    ['a bad user name', withUserField('userName', 'a b'), 'users[0].userName must be an IAM user name'],
    ['a bad UserId', withUserField('userId', 'alice'), 'users[0].userId must be an IAM UserId'],
    [
      'a numeric date',
      withUserField('passwordLastUsed', 1700000000000),
      'users[0].passwordLastUsed must be an ISO 8601 date-time with a time zone, e.g. "2025-08-27T03:00:00Z", got 1700000000000',
    ],
    [
      'a zone-less key date',
      withKeyField(1, 'lastUsedDate', '2025-01-05T00:00:00'),
      'users[0].accessKeys[1].lastUsedDate must be an ISO 8601 date-time with a time zone',
    ],
    [
      'a bad access key id',
      withKeyField(0, 'accessKeyId', 'AKIA'),
      'users[0].accessKeys[0].accessKeyId must be an access key id',
    ],
    [
      'a loginProfile without date',
      withUserField('loginProfile', {}),
      'users[0].loginProfile.createDate must be an ISO 8601',
    ],
    [
      'a top-level typo',
      broken((d) => {
        d.user = [];
      }),
      'user is not a snapshot field (expected one of accountId, users), got []',
    ],
    [
      'a repeated UserId',
      broken((d) => {
        (d.users as unknown[]).push({ ...structuredClone(base.users[0]), userName: 'bob' });
      }),
      'users[1].userId repeats users[0].userId, got "AIDAAAAAAAAAAAAAAAA1"',
    ],
  ])('rejects %s, naming the field and the value', (_case, document, message) => {
    // Given the document of the case, When read, Then
    expect(() => readSnapshot(document, 'test')).toThrow(UsageError);
    expect(() => readSnapshot(document, 'test')).toThrow(message);
  });

  it('names the line and column of a JSON syntax error and keeps the parse error as cause', () => {
    // Given
    const text = '{\n  "accountId": "111111111111",\n  "users": [,]\n}';
    // When
    let thrown: unknown;
    try {
      parseSnapshot(text, 'snapshot "x.json"');
    } catch (error) {
      thrown = error;
    }
    // Then
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toMatch(/^snapshot "x\.json": invalid JSON at line 3, column 13: /);
    expect((thrown as Error).cause).toBeInstanceOf(SyntaxError);
  });
});
