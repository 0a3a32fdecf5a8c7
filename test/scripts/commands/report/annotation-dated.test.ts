import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysSince, decide, type UserFacts } from '../../../../evaluator/decision';
import { ExclusionList } from '../../../../evaluator/exclusions';
import { recordedAnnotation } from '../../../../evaluator/recorded-annotation';
import {
  type AnnotatedCredential,
  oldestCredential,
  parseAnnotation,
} from '../../../../scripts/commands/report/annotation';
import { type ComplianceRow, revokedNext } from '../../../../scripts/commands/report/model';
import { sinceOf } from '../../../../scripts/commands/report/user-verdict';

/** The dated annotations the evaluator records now (evaluator/recorded-annotation.ts), read back by `report`. */

const NOW = new Date('2025-08-27T03:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY - 1000);
/** Whole days from a dated credential's day to `at`, as the report counts them. */
const ageAt = (c: AnnotatedCredential | undefined, at: Date) => {
  const since = c && sinceOf(c, undefined, at);
  return since === undefined ? undefined : daysSince(since, at);
};
const recorded = (facts: UserFacts, maxAgeDays = 90, exclusions = ExclusionList.EMPTY) =>
  recordedAnnotation(decide(facts, { maxAgeDays, exclusions }, NOW), maxAgeDays);

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

describe('parseAnnotation on the dated annotations the evaluator records', () => {
  it('reads a non-compliant annotation: the day of each credential, ages counted to any later time', () => {
    const text = recorded(
      user({
        loginProfile: { createDate: ago(400) },
        passwordLastUsed: ago(120),
        accessKeys: [
          { accessKeyId: 'AKIAEXAMPLE000000001', status: 'Active', createDate: ago(200), lastUsedDate: null },
        ],
      }),
    );
    const parsed = parseAnnotation(text);
    expect(parsed).toMatchObject({
      userName: 'alice',
      excluded: false,
      limitDays: 90,
      credentials: [
        { credential: 'password', sinceDay: '2025-04-29', neverUsed: false },
        {
          credential: 'accessKey',
          accessKeyId: 'AKIAEXAMPLE000000001',
          sinceDay: '2025-02-08',
          neverUsed: true,
        },
      ],
    });
    expect(parsed.credentials.map((c) => ageAt(c, NOW))).toEqual([120, 200]);
    // Ten days later the same annotation gives ages ten days older.
    expect(ageAt(oldestCredential(parsed), new Date(NOW.getTime() + 10 * DAY))).toBe(210);
  });

  it('reads an excluded and a credential-less annotation', () => {
    const excluded = recorded(
      user({ loginProfile: { createDate: ago(400) }, passwordLastUsed: ago(100) }),
      30,
      ExclusionList.parse('ALICE'),
    );
    expect(parseAnnotation(excluded)).toMatchObject({
      userName: 'alice',
      excluded: true,
      limitDays: 30,
    });
    expect(parseAnnotation(recorded(user()))).toMatchObject({
      userName: 'alice',
      excluded: false,
      credentials: [],
    });
  });

  it('recovers the limit and the oldest age of any verdict (property)', () => {
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
          const parsed = parseAnnotation(recordedAnnotation(verdict, maxAgeDays));
          expect(parsed.userName).toBe('alice');
          if (verdict.credentials.length > 0) {
            expect(parsed.limitDays).toBe(maxAgeDays);
            const expected =
              verdict.compliance === 'NON_COMPLIANT'
                ? Math.max(...verdict.credentials.filter((c) => c.stale).map((c) => c.ageDays))
                : Math.max(...verdict.credentials.map((c) => c.ageDays));
            expect(ageAt(oldestCredential(parsed), NOW)).toBe(expected);
          }
        },
      ),
    );
  });
});

describe('revokedNext on dated annotations', () => {
  const row = (over: Partial<ComplianceRow>): ComplianceRow => ({
    accountId: '111111111111',
    accountName: 'a',
    region: 'eu-west-1',
    userId: 'AIDAEXAMPLE000000001',
    userName: 'u',
    compliance: 'COMPLIANT',
    annotation: '',
    excluded: false,
    ...over,
  });

  it('counts ages from the dates to now, whenever the result was recorded, next to older annotations', () => {
    const rows = [
      row({
        userName: 'dated',
        annotation:
          'dated: no credential unused for 90d or more; oldest password last used 2025-06-01, revoke on 2025-08-30 [v1 C]',
        // Recorded long ago: the date, not the recording time, gives the age.
        recordedAt: new Date('2025-06-02T00:00:00Z'),
      }),
      row({
        userName: 'aged',
        annotation: 'aged: no credential unused for 90d or more; oldest key AKIAX 80d',
        recordedAt: new Date('2025-08-25T00:00:00Z'),
      }),
    ];
    expect(revokedNext(rows, NOW).map((r) => [r.userName, r.ageDays, r.daysLeft, r.credential])).toEqual([
      ['dated', 87, 3, 'password'],
      ['aged', 83, 7, 'key AKIAX'],
    ]);
  });
});
