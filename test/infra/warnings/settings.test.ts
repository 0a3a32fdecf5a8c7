import { describe, expect, it } from 'vitest';
import { buildPackTemplate, PACK_LOGICAL_IDS } from '../../../conformance-pack/builder';
import { organizationPackTemplate } from '../../../infra/admin-stack';
import { InvalidSettingsError, parseSettings } from '../../../infra/parse-settings';
import { cdkJsonContext } from '../fixtures';

const minimal = {
  homeRegion: 'eu-west-1',
  delegatedAdminAccountId: '222222222222',
  managementAccountId: '111111111111',
  targetOrganizationalUnitIds: ['r-ab12'],
  exclusionsAdminPrincipalArns: ['arn:aws:iam::222222222222:role/IamUnusedOperators'],
};

function problemsOf(context: Record<string, unknown>): readonly string[] {
  try {
    parseSettings(context);
  } catch (error) {
    if (error instanceof InvalidSettingsError) return error.problems;
    throw error;
  }
  throw new Error('expected InvalidSettingsError');
}

describe('warning settings', () => {
  it('reads cdk.json values and -c strings', () => {
    expect(parseSettings(cdkJsonContext()).warnings).toEqual({
      daysBeforeRevoke: 7,
      ownerTagKeys: ['owner', 'email'],
      notificationEmails: ['security@example.com'],
      organizationId: 'o-a1b2c3d4e5',
    });
    expect(
      parseSettings({
        ...minimal,
        warnDaysBeforeRevoke: '0',
        warnOwnerTagKeys: 'team,contact',
        notificationEmails: 'a@example.com, b@example.com',
        organizationId: 'o-abcdefghij',
      }).warnings,
    ).toEqual({
      daysBeforeRevoke: 0,
      ownerTagKeys: ['team', 'contact'],
      notificationEmails: ['a@example.com', 'b@example.com'],
      organizationId: 'o-abcdefghij',
    });
  });

  it('lists every bad warning setting with its value and fix', () => {
    const problems = problemsOf({
      ...minimal,
      maxAgeDays: 30,
      warnDaysBeforeRevoke: 30,
      warnOwnerTagKeys: ['owner:team'],
      notificationEmails: ['not-an-email'],
      organizationId: 'o-123',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^warnDaysBeforeRevoke = 30: must be less than maxAgeDays \(30\)/),
      expect.stringMatching(/^warnOwnerTagKeys must list up to 10 IAM tag keys .*"owner:team"/),
      expect.stringMatching(/^notificationEmails = "not-an-email": each entry must be an email address/),
      expect.stringMatching(/^organizationId = "o-123": must be the organization id/),
    ]);
    expect(problemsOf({ ...minimal, warnDaysBeforeRevoke: '-1' })).toEqual([
      expect.stringMatching(/^warnDaysBeforeRevoke must be a whole number of days from 0/),
    ]);
  });

  it('reach the rule as pack parameters, like the max age', () => {
    const pack = organizationPackTemplate(
      parseSettings({ ...minimal, warnDaysBeforeRevoke: 14, warnOwnerTagKeys: ['team'] }) as never,
    );
    expect(pack.Parameters.WarnDaysBeforeRevoke?.Default).toBe('14');
    expect(pack.Parameters.WarnOwnerTagKeys?.Default).toBe('team');
    expect(pack.Resources[PACK_LOGICAL_IDS.rule]?.Properties.InputParameters).toMatchObject({
      WarnDaysBeforeRevoke: { Ref: 'WarnDaysBeforeRevoke' },
      WarnOwnerTagKeys: { Ref: 'WarnOwnerTagKeys' },
    });
  });

  it('the builder defaults to 7 days and owner,email when the options leave them out', () => {
    const pack = buildPackTemplate({
      target: { kind: 'account', functionArn: 'arn:fn', remediationRoleArn: 'arn:role' },
      maxAgeDays: 90,
      exclusionParameterName: '/x',
      frequency: 'TwentyFour_Hours',
      remediation: { mode: 'manual', maximumAttempts: 5, retryAttemptSeconds: 60 },
    });
    expect([
      pack.Parameters.WarnDaysBeforeRevoke?.Default,
      pack.Parameters.WarnOwnerTagKeys?.Default,
    ]).toEqual(['7', 'owner,email']);
  });
});
