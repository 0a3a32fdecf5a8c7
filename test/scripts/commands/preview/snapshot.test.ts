import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIsoInstant } from '../../../../scripts/commands/preview/iso-instant';
import {
  firstJsonErrorOffset,
  jsonErrorLocation,
} from '../../../../scripts/commands/preview/json-error-location';
import { parseSnapshot, readSnapshot } from '../../../../scripts/commands/preview/snapshot';
import { UsageError } from '../../../../scripts/lib/terminal/errors';

describe('parseIsoInstant', () => {
  it.each([
    ['2025-08-27T03:00:00Z', '2025-08-27T03:00:00.000Z'],
    ['2025-07-10T11:21:00+09:00', '2025-07-10T02:21:00.000Z'],
    ['2025-07-10T11:21:00-05:30', '2025-07-10T16:51:00.000Z'],
    ['2025-08-28T11:27:52.846000+09:00', '2025-08-28T02:27:52.846Z'],
    ['2025-08-28T11:27:52.5Z', '2025-08-28T11:27:52.500Z'],
    ['2025-08-28T11:27Z', '2025-08-28T11:27:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseIsoInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2025-08-27T03:00:00', // no zone: depends on the machine's clock settings
    '2025-08-27',
    '2025-08-27 03:00:00Z',
    '2025-02-29T00:00:00Z',
    '2025-02-30T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-00-10T00:00:00Z',
    '2025-08-27T24:00:00Z',
    '2025-08-27T03:60:00Z',
    '2025-08-27T03:00:60Z',
    '2025-08-27T03:00:00+0900',
    '2025-08-27T03:00:00+24:00',
    'Wed, 27 Aug 2025 03:00:00 GMT',
    '1756263600000',
    '',
  ])('rejects %j', (text) => {
    expect(parseIsoInstant(text)).toBeUndefined();
  });

  it('agrees with Date.parse on every valid UTC instant', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('2199-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          expect(parseIsoInstant(d.toISOString())?.getTime()).toBe(d.getTime());
        },
      ),
      { seed: 20250827, numRuns: 300 },
    );
  });
});

describe('firstJsonErrorOffset', () => {
  it('finds the offending character', () => {
    expect(firstJsonErrorOffset('{"a": }')).toBe(6);
    expect(firstJsonErrorOffset('[1, 2,]')).toBe(6);
    expect(firstJsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(firstJsonErrorOffset('{"a": tru}')).toBe(9);
    expect(firstJsonErrorOffset('{"a": "x\\q"}')).toBe(9);
    expect(firstJsonErrorOffset('{"a": 01}')).toBe(7);
    expect(jsonErrorLocation('{\n  "a": 1,\n  "b": ]\n}')).toBe('line 3, column 8');
    expect(firstJsonErrorOffset('nul')).toBe(3);
    expect(firstJsonErrorOffset(' ')).toBe(1);
    expect(firstJsonErrorOffset(' {"a": [1, -2.5e3, "\\u00e9", true, false, null]} ')).toBeUndefined();
    expect(jsonErrorLocation('{\n  "a": [1, 2')).toBe('line 2, column 13');
  });

  it('says valid exactly when JSON.parse accepts the text', () => {
    const jsonish = fc.oneof(
      fc.json(),
      fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))),
      fc.string({
        unit: fc.constantFrom(
          '{',
          '}',
          '[',
          ']',
          '"',
          ',',
          ':',
          '1',
          '-',
          '.',
          'e',
          'n',
          ' ',
          '\\',
          'u',
          'a',
        ),
      }),
    );
    fc.assert(
      fc.property(jsonish, (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(firstJsonErrorOffset(text) === undefined).toBe(valid);
      }),
      { seed: 4242, numRuns: 2000 },
    );
  });
});

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

  function broken(mutate: (doc: typeof base & Record<string, unknown>) => void): unknown {
    const doc = structuredClone(base) as typeof base & Record<string, unknown>;
    mutate(doc);
    return doc;
  }

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
    [
      'a bad user name',
      broken((d) => {
        (d.users[0] as Record<string, unknown>).userName = 'a b';
      }),
      'users[0].userName must be an IAM user name',
    ],
    [
      'a bad UserId',
      broken((d) => {
        (d.users[0] as Record<string, unknown>).userId = 'alice';
      }),
      'users[0].userId must be an IAM UserId',
    ],
    [
      'a numeric date',
      broken((d) => {
        (d.users[0] as Record<string, unknown>).passwordLastUsed = 1700000000000;
      }),
      'users[0].passwordLastUsed must be an ISO 8601 date-time with a time zone, e.g. "2025-08-27T03:00:00Z", got 1700000000000',
    ],
    [
      'a zone-less key date',
      broken((d) => {
        (d.users[0]?.accessKeys[1] as Record<string, unknown>).lastUsedDate = '2025-01-05T00:00:00';
      }),
      'users[0].accessKeys[1].lastUsedDate must be an ISO 8601 date-time with a time zone',
    ],
    [
      'a bad access key id',
      broken((d) => {
        (d.users[0]?.accessKeys[0] as Record<string, unknown>).accessKeyId = 'AKIA';
      }),
      'users[0].accessKeys[0].accessKeyId must be an access key id',
    ],
    [
      'a loginProfile without date',
      broken((d) => {
        (d.users[0] as Record<string, unknown>).loginProfile = {};
      }),
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
    expect(() => readSnapshot(document, 'test')).toThrow(UsageError);
    expect(() => readSnapshot(document, 'test')).toThrow(message);
  });

  it('names the line and column of a JSON syntax error and keeps the parse error as cause', () => {
    const text = '{\n  "accountId": "111111111111",\n  "users": [,]\n}';
    let thrown: unknown;
    try {
      parseSnapshot(text, 'snapshot "x.json"');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toMatch(/^snapshot "x\.json": invalid JSON at line 3, column 13: /);
    expect((thrown as Error).cause).toBeInstanceOf(SyntaxError);
  });
});
