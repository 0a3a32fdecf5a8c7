import { describe, expect, it } from 'vitest';
import { buildPackTemplate, PACK_LOGICAL_IDS, PACK_PARAMETERS } from '../../conformance-pack/builder';
import { InvalidRuleParameterError } from '../../evaluator/errors';
import {
  DEFAULT_REFRESH_DAYS,
  parseRuleParameters,
  RULE_PARAMETER_KEYS,
} from '../../evaluator/rule-parameters';
import { InvalidSettingsError, parseSettings } from '../../infra/parse-settings';

/** EvaluationRefreshDays: from cdk.json (evaluationRefreshDays) through the pack to the Lambda. */

const organization = {
  homeRegion: 'eu-west-1',
  delegatedAdminAccountId: '222222222222',
  managementAccountId: '111111111111',
  targetOrganizationalUnitIds: ['r-ab12'],
  exclusionsAdminPrincipalArns: ['arn:aws:iam::222222222222:role/IamUnusedOperators'],
};

describe('EvaluationRefreshDays', () => {
  it('defaults to 30 days and reads a whole number of days from 1 to 89', () => {
    expect(parseRuleParameters(undefined).refreshDays).toBe(DEFAULT_REFRESH_DAYS);
    expect(DEFAULT_REFRESH_DAYS).toBe(30);
    expect(parseRuleParameters(JSON.stringify({ EvaluationRefreshDays: '7' })).refreshDays).toBe(7);
    expect(parseRuleParameters(JSON.stringify({ EvaluationRefreshDays: 89 })).refreshDays).toBe(89);
  });

  it.each([['0'], ['90'], ['7.5'], ['weekly'], [null]])(
    'rejects %j with the range and an example',
    (value) => {
      const parse = () => parseRuleParameters(JSON.stringify({ EvaluationRefreshDays: value }));
      expect(parse).toThrow(InvalidRuleParameterError);
      expect(parse).toThrow(
        /Rule parameter EvaluationRefreshDays must be a whole number of days from 1 to 89.*"30"/,
      );
    },
  );

  it('is a setting (evaluationRefreshDays) validated with the other settings', () => {
    expect(parseSettings({ ...organization, evaluationRefreshDays: '14' }).evaluationRefreshDays).toBe(14);
    let problems: readonly string[] = [];
    try {
      parseSettings({ ...organization, evaluationRefreshDays: 120 });
    } catch (error) {
      if (!(error instanceof InvalidSettingsError)) throw error;
      problems = error.problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^evaluationRefreshDays must be a whole number of days from 1 to 89/),
    ]);
  });

  it('reaches the rule as an input parameter of the pack, with the setting as its default', () => {
    const pack = buildPackTemplate({
      target: { kind: 'organization', partition: 'aws', deployingAccountId: '222222222222' },
      maxAgeDays: 90,
      exclusionParameterName: '/x',
      frequency: 'TwentyFour_Hours',
      refreshDays: 14,
      remediation: { mode: 'manual', maximumAttempts: 5, retryAttemptSeconds: 60 },
    });
    expect(pack.Parameters[PACK_PARAMETERS.refreshDays]?.Default).toBe('14');
    expect(pack.Resources[PACK_LOGICAL_IDS.rule]?.Properties.InputParameters).toMatchObject({
      [RULE_PARAMETER_KEYS.refreshDays]: { Ref: PACK_PARAMETERS.refreshDays },
    });
  });
});
