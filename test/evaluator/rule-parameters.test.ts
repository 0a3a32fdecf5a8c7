import { describe, expect, it } from 'vitest';
import { InvalidRuleParameterError } from '../../evaluator/errors';
import { DEFAULT_EXCLUSION_PARAMETER_NAME, parseRuleParameters } from '../../evaluator/rule-parameters';

describe('parseRuleParameters: keys', () => {
  it('accepts the two known keys', () => {
    expect(
      parseRuleParameters(JSON.stringify({ MaxCredentialUsageAge: '365', ExclusionParameterName: '/x/y' })),
    ).toEqual({ maxAgeDays: 365, exclusionParameterName: '/x/y' });
  });

  it('takes the defaults when a key is absent', () => {
    expect(parseRuleParameters('{}')).toEqual({
      maxAgeDays: 90,
      exclusionParameterName: DEFAULT_EXCLUSION_PARAMETER_NAME,
    });
  });

  it('refuses a key in the wrong case instead of silently using the 90-day default', () => {
    const run = () => parseRuleParameters(JSON.stringify({ maxCredentialUsageAge: '365' }));
    expect(run).toThrow(InvalidRuleParameterError);
    expect(run).toThrow(
      'Unknown rule parameter "maxCredentialUsageAge" (did you mean "MaxCredentialUsageAge"? keys are case-sensitive); ' +
        'accepted: MaxCredentialUsageAge, ExclusionParameterName.',
    );
  });

  it('names every unknown key', () => {
    expect(() => parseRuleParameters(JSON.stringify({ MaxAge: '1', Exclusions: 'x' }))).toThrow(
      'Unknown rule parameters "MaxAge", "Exclusions"; accepted: MaxCredentialUsageAge, ExclusionParameterName.',
    );
  });
});
