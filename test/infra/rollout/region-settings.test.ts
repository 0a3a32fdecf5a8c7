import { describe, expect, it } from 'vitest';
import { homeRegionProblems } from '../../../infra/rollout/region-support';
import { parseRolloutSettings, ROLLOUT_SETTING_DEFAULTS } from '../../../infra/rollout/settings';

describe('homeRegionProblems', () => {
  it('accepts regions where Config records IAM users', () => {
    for (const region of ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'me-south-1']) {
      expect(homeRegionProblems(region, 'aws', false)).toEqual([]);
    }
  });

  it.each([
    'ap-south-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-7',
    'eu-central-2',
    'eu-south-2',
    'me-central-1',
    'il-central-1',
    'ca-west-1',
    'mx-central-1',
    'ap-east-2',
  ])('refuses %s, where IAM resources cannot be recorded, naming regions that work', (region) => {
    const [problem, ...rest] = homeRegionProblems(region, 'aws', false);
    expect(rest).toEqual([]);
    expect(problem).toContain(`homeRegion = "${region}"`);
    expect(problem).toContain('cannot record AWS::IAM::User');
    expect(problem).toContain('eu-west-1');
  });

  it.each([
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('refuses %s (%s, runbook unverified) unless allowUnverifiedPartition', (region, partition) => {
    const problems = homeRegionProblems(region, partition, false);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('allowUnverifiedPartition = true');
    expect(problems[0]).toContain('describe-document');
    expect(homeRegionProblems(region, partition, true)).toEqual([]);
  });

  it('refuses a partition it knows nothing of, override or not', () => {
    expect(homeRegionProblems('us-iso-east-1', 'aws-iso', true)[0]).toContain('aws-iso partition');
  });
});

describe('parseRolloutSettings', () => {
  it('defaults: 24 hours, no e-mail, verified partitions only', () => {
    expect(parseRolloutSettings({})).toEqual({
      settings: { ...ROLLOUT_SETTING_DEFAULTS, alarmEmails: [] },
      problems: [],
    });
  });

  it('reads cdk.json values and -c strings', () => {
    expect(
      parseRolloutSettings({
        rolloutAlarmAfterHours: '48',
        alarmEmails: 'a@example.com, b@example.com',
        allowUnverifiedPartition: 'true',
      }).settings,
    ).toEqual({
      rolloutAlarmAfterHours: 48,
      alarmEmails: ['a@example.com', 'b@example.com'],
      allowUnverifiedPartition: true,
    });
    expect(parseRolloutSettings({ alarmEmails: '["ops@example.com"]' }).settings.alarmEmails).toEqual([
      'ops@example.com',
    ]);
  });

  it('lists every bad value with the fix', () => {
    const { problems } = parseRolloutSettings({
      rolloutAlarmAfterHours: 1,
      alarmEmails: ['ops', 3],
      allowUnverifiedPartition: 'yes',
    });
    expect(problems).toEqual([
      'rolloutAlarmAfterHours = 1: must be a whole number of hours from 2 (two reconciliation periods) to 720, e.g. 24.',
      'alarmEmails entry "ops": must be an e-mail address such as "ops@example.com".',
      'alarmEmails entry 3: must be an e-mail address such as "ops@example.com".',
      'allowUnverifiedPartition = "yes": must be true or false.',
    ]);
    expect(parseRolloutSettings({ alarmEmails: '[oops' }).problems[0]).toContain(
      'must be a list of e-mail addresses',
    );
  });
});
