import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, type UserFacts } from '../../../../evaluator/decision';
import { ExclusionList } from '../../../../evaluator/exclusions';
import { oldestCredential, parseAnnotation } from '../../../../scripts/commands/report/annotation';

const NOW = new Date('2025-08-27T03:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY - 1000);

function user(overrides: Partial<UserFacts> = {}): UserFacts {
  return {
    userName: 'alice',
    userId: 'AIDAAAAAAAAAAAAAAAA1',
    passwordLastUsed: null,
    loginProfile: null,
    accessKeys: [],
    ...overrides,
  };
}

describe('parseAnnotation on what the evaluator writes', () => {
  it('reads a non-compliant annotation', () => {
    const v = decide(
      user({
        loginProfile: { createDate: ago(400) },
        passwordLastUsed: ago(120),
        accessKeys: [
          { accessKeyId: 'AKIAEXAMPLE000000001', status: 'Active', createDate: ago(200), lastUsedDate: null },
        ],
      }),
      { maxAgeDays: 90, exclusions: ExclusionList.EMPTY },
      NOW,
    );
    expect(parseAnnotation(v.annotation)).toEqual({
      userName: 'alice',
      excluded: false,
      limitDays: 90,
      credentials: [
        { credential: 'password', ageDays: 120, neverUsed: false },
        { credential: 'accessKey', accessKeyId: 'AKIAEXAMPLE000000001', ageDays: 200, neverUsed: true },
      ],
    });
  });

  it('reads an excluded annotation', () => {
    const v = decide(
      user({ loginProfile: { createDate: ago(400) }, passwordLastUsed: ago(100) }),
      { maxAgeDays: 30, exclusions: ExclusionList.parse('ALICE') },
      NOW,
    );
    expect(parseAnnotation(v.annotation)).toMatchObject({ userName: 'alice', excluded: true, limitDays: 30 });
  });

  it('reads a compliant user without credentials', () => {
    const v = decide(user(), { maxAgeDays: 90, exclusions: ExclusionList.EMPTY }, NOW);
    expect(parseAnnotation(v.annotation)).toEqual({ userName: 'alice', excluded: false, credentials: [] });
  });

  it('recovers the limit and the oldest age of any compliant verdict (property)', () => {
    const keyId = fc.stringMatching(/^AKIA[A-Z0-9]{16}$/);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
        fc.array(fc.tuple(keyId, fc.integer({ min: 0, max: 20_000 }), fc.boolean()), { maxLength: 2 }),
        (maxAgeDays, passwordAge, keys) => {
          const facts = user({
            ...(passwordAge === undefined
              ? {}
              : { loginProfile: { createDate: ago(passwordAge + 1) }, passwordLastUsed: ago(passwordAge) }),
            accessKeys: keys.map(([id, age, used]) => ({
              accessKeyId: id,
              status: 'Active' as const,
              createDate: ago(age),
              lastUsedDate: used ? ago(age) : null,
            })),
          });
          const verdict = decide(facts, { maxAgeDays, exclusions: ExclusionList.EMPTY }, NOW);
          const parsed = parseAnnotation(verdict.annotation);
          expect(parsed.userName).toBe('alice');
          if (verdict.credentials.length > 0) {
            expect(parsed.limitDays).toBe(maxAgeDays);
            const expected =
              verdict.compliance === 'NON_COMPLIANT'
                ? Math.max(...verdict.credentials.filter((c) => c.stale).map((c) => c.ageDays))
                : Math.max(...verdict.credentials.map((c) => c.ageDays));
            expect(oldestCredential(parsed)?.ageDays).toBe(expected);
          }
        },
      ),
    );
  });
});

describe('parseAnnotation on other text', () => {
  it.each([undefined, '', 'Evaluation failed', 'something else entirely'])('%j yields no facts', (text) => {
    const parsed = parseAnnotation(text);
    expect(parsed.credentials).toEqual([]);
    expect(parsed.limitDays).toBeUndefined();
    expect(parsed.excluded).toBe(false);
  });
});
