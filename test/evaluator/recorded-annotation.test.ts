import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANNOTATION_MAX_LENGTH, decide, MS_PER_DAY, type UserFacts } from '../../evaluator/decision';
import { ExclusionList } from '../../evaluator/exclusions';
import { parseVerdictState, recordedAnnotation, verdictState } from '../../evaluator/recorded-annotation';

const NOW = new Date('2025-06-01T12:00:00Z');
const daysAgo = (d: number, from = NOW) => new Date(from.getTime() - d * MS_PER_DAY);
const EMPTY = { maxAgeDays: 90, exclusions: ExclusionList.EMPTY };

function user(overrides: Partial<UserFacts> = {}): UserFacts {
  return {
    userName: 'alice',
    userId: 'AIDAAAAAAAAAAAAAAAAA1',
    passwordLastUsed: null,
    loginProfile: null,
    accessKeys: [],
    ...overrides,
  };
}

const staleUser = user({
  loginProfile: { createDate: daysAgo(400) },
  passwordLastUsed: daysAgo(120),
  accessKeys: [
    { accessKeyId: 'AKIAB', status: 'Active', createDate: daysAgo(200), lastUsedDate: null },
    { accessKeyId: 'AKIAA', status: 'Active', createDate: daysAgo(300), lastUsedDate: daysAgo(95) },
  ],
});

describe('recordedAnnotation', () => {
  it('names dates, not ages, and ends with the state token', () => {
    const v = decide(staleUser, EMPTY, NOW);
    expect(recordedAnnotation(v, 90)).toBe(
      'alice: unused for 90d or more: password last used 2025-02-01, key AKIAB created 2024-11-13 (never used), ' +
        'key AKIAA last used 2025-02-26; will be revoked [v1 N pw AKIAA AKIAB]',
    );
  });

  it('says when the oldest credential of a compliant user is due, and marks excluded users', () => {
    const fresh = user({
      accessKeys: [
        { accessKeyId: 'AKIAC', status: 'Active', createDate: daysAgo(300), lastUsedDate: daysAgo(10) },
      ],
    });
    expect(recordedAnnotation(decide(fresh, EMPTY, NOW), 90)).toBe(
      'alice: no credential unused for 90d or more; oldest key AKIAC last used 2025-05-22, revoke on 2025-08-20 [v1 C]',
    );
    expect(recordedAnnotation(decide(user(), EMPTY, NOW), 90)).toBe(
      'alice: no console password and no active access key [v1 C]',
    );
    const excluded = decide(staleUser, { maxAgeDays: 90, exclusions: ExclusionList.parse('ALICE') }, NOW);
    expect(recordedAnnotation(excluded, 90)).toMatch(
      /^EXCLUDED alice by name entry "ALICE"; would otherwise revoke password last used 2025-02-01, .* \(limit 90d\) \[v1 X\]$/,
    );
  });

  it('stays the same from day to day while nothing is used (ages would change)', () => {
    const today = decide(staleUser, EMPTY, NOW);
    const tomorrow = decide(staleUser, EMPTY, new Date(NOW.getTime() + MS_PER_DAY));
    expect(today.annotation).not.toBe(tomorrow.annotation);
    expect(recordedAnnotation(tomorrow, 90)).toBe(recordedAnnotation(today, 90));
  });

  it('keeps the state token whole when a long name makes it too long (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,64}$/),
        fc.boolean(),
        fc.boolean(),
        (userName, excluded, stale) => {
          // Full-length key ids, so a 64-character name needs truncation.
          const long = staleUser.accessKeys.map((k) => ({
            ...k,
            accessKeyId: k.accessKeyId.padEnd(20, 'X'),
          }));
          const facts = { ...(stale ? { ...staleUser, accessKeys: long } : user()), userName };
          const exclusions = excluded ? ExclusionList.parse(userName) : ExclusionList.EMPTY;
          const v = decide(facts, { maxAgeDays: 90, exclusions }, NOW);
          const text = recordedAnnotation(v, 90);
          expect(text.length).toBeGreaterThanOrEqual(1);
          expect(text.length).toBeLessThanOrEqual(ANNOTATION_MAX_LENGTH);
          expect(parseVerdictState(text)).toBe(verdictState(v));
        },
      ),
    );
    const longest = decide(
      {
        ...staleUser,
        userName: 'n'.repeat(64),
        accessKeys: staleUser.accessKeys.map((k) => ({ ...k, accessKeyId: k.accessKeyId.padEnd(20, 'X') })),
      },
      EMPTY,
      NOW,
    );
    expect(recordedAnnotation(longest, 90)).toMatch(/\.\.\. \[v1 N pw AKIAAX{15} AKIABX{15}\]$/);
  });
});

describe('verdictState and parseVerdictState', () => {
  it('encode compliance, exclusion and the revoke set, keys sorted', () => {
    expect(verdictState(decide(staleUser, EMPTY, NOW))).toBe('[v1 N pw AKIAA AKIAB]');
    expect(verdictState(decide(user(), EMPTY, NOW))).toBe('[v1 C]');
  });

  it('read no state from other text: an older annotation or a token not at the end', () => {
    expect(parseVerdictState('alice: key AKIA1 40d unused, limit 30d; will be revoked')).toBeUndefined();
    expect(parseVerdictState('[v1 C] and more')).toBeUndefined();
    expect(parseVerdictState(undefined)).toBeUndefined();
    expect(parseVerdictState('bob: x [v1 N AKIAQ]')).toBe('[v1 N AKIAQ]');
  });
});
