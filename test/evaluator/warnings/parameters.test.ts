import { describe, expect, it } from 'vitest';
import { InvalidRuleParameterError } from '../../../evaluator/errors';
import { parseRuleParameters } from '../../../evaluator/rule-parameters';
import { parseOwnerTagKeys, parseWarnDays } from '../../../evaluator/warnings/parameters';

describe('warning rule parameters', () => {
  it('default to 7 days and the owner/email tags', () => {
    expect(parseRuleParameters(undefined)).toMatchObject({
      warnDaysBeforeRevoke: 7,
      warnOwnerTagKeys: ['owner', 'email'],
    });
  });

  it('read WarnDaysBeforeRevoke and WarnOwnerTagKeys from the rule parameters', () => {
    expect(
      parseRuleParameters(
        JSON.stringify({ WarnDaysBeforeRevoke: '0', WarnOwnerTagKeys: 'team, cost-center,team' }),
      ),
    ).toMatchObject({ warnDaysBeforeRevoke: 0, warnOwnerTagKeys: ['team', 'cost-center'] });
  });

  it.each([['-1'], ['366'], ['7.5'], [''], [null], [true]])(
    'rejects warn days %j with the range and a fix',
    (v) => {
      expect(() => parseWarnDays(v, 'WarnDaysBeforeRevoke')).toThrow(
        /WarnDaysBeforeRevoke must be a whole number of days from 0 \(warnings off\) to 365, got .*Set it to e\.g\. "7"/,
      );
    },
  );

  it('accepts 0, 365 and numbers from JSON', () => {
    expect([parseWarnDays('0', 'x'), parseWarnDays(365, 'x'), parseWarnDays(' 14 ', 'x')]).toEqual([
      0, 365, 14,
    ]);
  });

  it.each([['owner:team'], ['a b'], ['.owner'], [42]])(
    'rejects tag key list %j (not an SNS attribute name)',
    (v) => {
      expect(() => parseOwnerTagKeys(v, 'warnOwnerTagKeys')).toThrow(InvalidRuleParameterError);
    },
  );

  it('rejects more than 10 keys (SNS message attribute limit)', () => {
    const keys = Array.from({ length: 11 }, (_, i) => `k${i}`);
    expect(() => parseOwnerTagKeys(keys, 'warnOwnerTagKeys')).toThrow(/up to 10 IAM tag keys/);
  });
});
