import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSnapshot } from '../../../scripts/commands/preview/snapshot';
import { UsageError } from '../../../scripts/lib/terminal/errors';
import { fieldPath, schemaValidator } from '../../../scripts/verdicts/schemas';

/** schemas/snapshot.schema.json and the snapshot reader accept and refuse the same documents. */

const base = {
  accountId: '111111111111',
  users: [
    {
      userName: 'alice',
      userId: 'AIDAAAAAAAAAAAAAAAA1',
      createDate: '2025-01-01T00:00:00Z',
      passwordLastUsed: null,
      loginProfile: { createDate: '2025-01-02T00:00+09:00' },
      accessKeys: [
        { accessKeyId: 'AKIAAAAAAAAAAAAAAAA1', status: 'Active', createDate: '2025-01-03T00:00:00.123Z' },
      ],
    },
  ],
};

type Doc = typeof base & Record<string, unknown>;
const change = (mutate: (d: Doc) => void): unknown => {
  const d = structuredClone(base) as Doc;
  mutate(d);
  return d;
};

function readerAccepts(document: unknown): boolean {
  try {
    readSnapshot(document, 'test');
    return true;
  } catch (error) {
    if (error instanceof UsageError) return false;
    throw error;
  }
}

describe('snapshot schema', () => {
  it('accepts the valid document the reader accepts', () => {
    expect(schemaValidator('snapshot')(base)).toBe(true);
    expect(readerAccepts(base)).toBe(true);
  });

  it.each([
    [
      'a date without a zone',
      (d: Doc) => {
        (d.users[0] as Record<string, unknown>).createDate = '2025-01-01T00:00:00';
      },
    ],
    [
      'an unknown field',
      (d: Doc) => {
        (d.users[0] as Record<string, unknown>).lastUsed = null;
      },
    ],
    [
      'a bad status',
      (d: Doc) => {
        (d.users[0]?.accessKeys[0] as Record<string, unknown>).status = 'active';
      },
    ],
    [
      'a missing loginProfile',
      (d: Doc) => {
        delete (d.users[0] as Record<string, unknown>).loginProfile;
      },
    ],
    [
      'a short account id',
      (d: Doc) => {
        d.accountId = '1111';
      },
    ],
    [
      'a bad UserId',
      (d: Doc) => {
        (d.users[0] as Record<string, unknown>).userId = 'alice';
      },
    ],
    [
      'a user name with a space',
      (d: Doc) => {
        (d.users[0] as Record<string, unknown>).userName = 'a b';
      },
    ],
    [
      'users not a list',
      (d: Doc) => {
        (d as Record<string, unknown>).users = {};
      },
    ],
  ])('refuses %s, like the reader', (_case, mutate) => {
    const document = change(mutate);
    expect(schemaValidator('snapshot')(document)).toBe(false);
    expect(readerAccepts(document)).toBe(false);
  });

  it('agrees with the reader on generated documents (property)', () => {
    const instant = fc.constantFrom(
      '2025-01-01T00:00:00Z',
      '2025-01-01T00:00Z',
      '2025-01-01 00:00:00',
      '2025-01-01',
      'x',
      null,
      5,
    );
    fc.assert(
      fc.property(
        fc.constantFrom('alice', 'a b', '', 'x'.repeat(65)),
        fc.constantFrom('AIDAAAAAAAAAAAAAAAA1', 'AIDA1', 'arn'),
        instant,
        fc.constantFrom('Active', 'Inactive', 'active'),
        (userName, userId, date, status) => {
          const document = change((d) => {
            Object.assign(d.users[0] as object, { userName, userId, createDate: date });
            (d.users[0]?.accessKeys[0] as Record<string, unknown>).status = status;
          });
          // A date the schema accepts but the calendar does not (2025-02-30) is left to the reader.
          expect(schemaValidator('snapshot')(document)).toBe(readerAccepts(document));
        },
      ),
    );
  });

  it('names fields the way the reader does', () => {
    const validate = schemaValidator('snapshot');
    validate(
      change((d) => {
        (d.users[0]?.accessKeys[0] as Record<string, unknown>).extra = 1;
      }),
    );
    expect(fieldPath(validate.errors?.[0] as never)).toBe('users[0].accessKeys[0].extra');
    validate(
      change((d) => {
        delete (d.users[0] as Record<string, unknown>).accessKeys;
      }),
    );
    expect(fieldPath(validate.errors?.[0] as never)).toBe('users[0].accessKeys');
  });
});
