import { describe, expect, it } from 'vitest';
import { DEFAULT_EXCLUSION_PARAMETER_NAME, DEFAULT_MAX_AGE_DAYS } from '../../conformance-pack/names';
import { InvalidSettingsError, parseSettings } from '../../infra/parse-settings';
import { partitionOf } from '../../infra/settings';
import { cdkJsonContext } from './fixtures';

const OPERATORS = 'arn:aws:iam::222222222222:role/IamUnusedOperators';
const OTHER_OPERATORS = 'arn:aws:iam::555555555555:role/Operators';
const minimalOrganization = {
  homeRegion: 'eu-west-1',
  delegatedAdminAccountId: '222222222222',
  managementAccountId: '111111111111',
  targetOrganizationalUnitIds: ['r-ab12'],
  exclusionsAdminPrincipalArns: [OPERATORS],
};
/** Account mode: the home region and who may edit the list. */
const minimalAccount = {
  mode: 'account',
  homeRegion: 'us-east-1',
  exclusionsAdminPrincipalArns: [OTHER_OPERATORS],
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

describe('parseSettings', () => {
  it('accepts the example cdk.json as shipped', () => {
    const settings = parseSettings(cdkJsonContext());
    expect(settings.mode).toBe('organization');
    expect(settings.organization?.targetOrganizationalUnitIds).toEqual(['r-ab12']);
  });

  it('applies the defaults', () => {
    const settings = parseSettings(minimalOrganization);
    expect(settings).toEqual({
      mode: 'organization',
      homeRegion: 'eu-west-1',
      partition: 'aws',
      maxAgeDays: DEFAULT_MAX_AGE_DAYS,
      exclusionParameterName: DEFAULT_EXCLUSION_PARAMETER_NAME,
      evaluationFrequency: 'TwentyFour_Hours',
      remediation: { mode: 'manual', maximumAttempts: 5, retryAttemptSeconds: 60 },
      logRetentionDays: 365,
      exclusionsAdmins: { arns: [OPERATORS], accountIds: ['222222222222'] },
      organization: {
        delegatedAdminAccountId: '222222222222',
        managementAccountId: '111111111111',
        targetOrganizationalUnitIds: ['r-ab12'],
        excludedAccountIds: [],
        retainStacksOnAccountRemoval: false,
      },
    });
  });

  it('reads -c strings: numbers, booleans, comma-separated and JSON lists', () => {
    const settings = parseSettings({
      ...minimalOrganization,
      targetOrganizationalUnitIds: 'ou-ab12-abcdefgh, ou-ab12-ijklmnop',
      excludedAccountIds: '["333333333333","333333333333","444444444444"]',
      maxAgeDays: '30',
      remediationMode: 'automatic',
      remediationMaximumAttempts: '25',
      remediationRetrySeconds: '600',
      logRetentionDays: '90',
      retainStacksOnAccountRemoval: 'true',
      exclusionsAdminPrincipalArns: `${OPERATORS}, arn:aws:iam::222222222222:role/Auditors`,
    });
    expect(settings.organization?.targetOrganizationalUnitIds).toEqual([
      'ou-ab12-abcdefgh',
      'ou-ab12-ijklmnop',
    ]);
    expect(settings.organization?.excludedAccountIds).toEqual(['333333333333', '444444444444']);
    expect(settings.organization?.retainStacksOnAccountRemoval).toBe(true);
    expect(settings.maxAgeDays).toBe(30);
    expect(settings.remediation).toEqual({
      mode: 'automatic',
      maximumAttempts: 25,
      retryAttemptSeconds: 600,
    });
    expect(settings.logRetentionDays).toBe(90);
    expect(settings.exclusionsAdmins.arns).toEqual([OPERATORS, 'arn:aws:iam::222222222222:role/Auditors']);
  });

  it('account mode needs only the home region and who may edit the list', () => {
    expect(parseSettings(minimalAccount)).toMatchObject({
      mode: 'account',
      accountId: undefined,
      organization: undefined,
    });
    expect(parseSettings({ ...minimalAccount, accountId: '333333333333' })).toMatchObject({
      accountId: '333333333333',
    });
  });

  it('reports every problem at once, one line each with the key and the value', () => {
    const problems = problemsOf({
      mode: 'organizations',
      homeRegion: 'Ireland',
      delegatedAdminAccountId: '2222',
      targetOrganizationalUnitIds: ['ou-bad', 'r-ab12'],
      excludedAccountIds: ['12345'],
      maxAgeDays: '0',
      exclusionParameterName: 'no-leading-slash',
      evaluationFrequency: 'Daily',
      remediationMode: 'auto',
      remediationMaximumAttempts: 26,
      remediationRetrySeconds: 'soon',
      logRetentionDays: 10,
      retainStacksOnAccountRemoval: 'yes',
      exclusionsRoleExtraPrincipal: 'Operators',
      exclusionsAdminPrincipalArns: ['arn:aws:iam::222222222222:root'],
    });
    const expected: [string, string][] = [
      ['mode', '"organizations"'],
      ['homeRegion', '"Ireland"'],
      ['delegatedAdminAccountId', '"2222"'],
      ['managementAccountId', 'required'],
      ['targetOrganizationalUnitIds', '"ou-bad"'],
      ['excludedAccountIds', '"12345"'],
      ['maxAgeDays', '0'],
      ['exclusionParameterName', '"no-leading-slash"'],
      ['evaluationFrequency', '"Daily"'],
      ['remediationMode', '"auto"'],
      ['remediationMaximumAttempts', '26'],
      ['remediationRetrySeconds', '"soon"'],
      ['logRetentionDays', '10'],
      ['retainStacksOnAccountRemoval', '"yes"'],
      ['exclusionsRoleExtraPrincipal', '"Operators"'],
      ['exclusionsAdminPrincipalArns', '"arn:aws:iam::222222222222:root"'],
    ];
    expect(problems).toHaveLength(expected.length);
    for (const [key, value] of expected) {
      const line = problems.find((p) => p.startsWith(`${key} `));
      expect(line, key).toBeDefined();
      expect(line).toContain(value);
      expect(line).not.toContain('\n');
    }
  });

  it('trusts only configured roles for the exclusions role; the old extra-principal key is refused', () => {
    expect(problemsOf({ ...minimalOrganization, exclusionsAdminPrincipalArns: undefined })).toEqual([
      expect.stringMatching(
        /^exclusionsAdminPrincipalArns = undefined: is required: .*An account root is not accepted/,
      ),
    ]);
    expect(
      problemsOf({
        ...minimalOrganization,
        exclusionsAdminPrincipalArns: ['arn:aws:iam::333333333333:role/Ops'],
      }),
    ).toEqual([expect.stringContaining('must be a role of the delegated-admin account 222222222222')]);
    expect(problemsOf({ ...minimalOrganization, exclusionsRoleExtraPrincipal: '555555555555' })).toEqual([
      expect.stringMatching(
        /^exclusionsRoleExtraPrincipal = "555555555555": was replaced by exclusionsAdminPrincipalArns/,
      ),
    ]);
  });

  it('names the fix in the error message', () => {
    expect(() => parseSettings({})).toThrowError(/homeRegion = undefined: is required: .*e\.g\. "eu-west-1"/);
    expect(
      problemsOf({ homeRegion: 'eu-west-1' }).some((p) => p.includes('aws organizations list-roots')),
    ).toBe(true);
  });

  it('refuses the management account as delegated administrator', () => {
    expect(
      problemsOf({
        ...minimalOrganization,
        delegatedAdminAccountId: '111111111111',
        exclusionsAdminPrincipalArns: ['arn:aws:iam::111111111111:role/Ops'],
      }),
    ).toEqual([
      expect.stringMatching(
        /^delegatedAdminAccountId = "111111111111": must differ from managementAccountId/,
      ),
    ]);
  });

  it('rejects a malformed JSON list and a non-list', () => {
    expect(problemsOf({ ...minimalOrganization, excludedAccountIds: '[333' })).toEqual([
      expect.stringContaining('excludedAccountIds = "[333"'),
    ]);
    expect(problemsOf({ ...minimalOrganization, excludedAccountIds: 5 })).toEqual([
      expect.stringContaining('excludedAccountIds = 5'),
    ]);
  });

  it("keeps excludedAccountIds within the pack's ExcludedAccounts limit of 1000", () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => String(300000000000 + i));
    expect(
      parseSettings({ ...minimalOrganization, excludedAccountIds: ids(999) }).organization
        ?.excludedAccountIds,
    ).toHaveLength(999);
    // The management account is in ExcludedAccounts anyway: listing it costs nothing.
    expect(() =>
      parseSettings({ ...minimalOrganization, excludedAccountIds: [...ids(999), '111111111111'] }),
    ).not.toThrow();
    expect(problemsOf({ ...minimalOrganization, excludedAccountIds: ids(1000) })).toEqual([
      expect.stringMatching(/^excludedAccountIds = "1000 accounts": at most 999 /),
    ]);
  });

  it('derives the partition from the region', () => {
    expect(partitionOf('eu-west-1')).toBe('aws');
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('us-iso-east-1')).toBe('aws-iso');
    expect(partitionOf('us-isob-east-1')).toBe('aws-iso-b');
    expect(partitionOf('eusc-de-east-1')).toBe('aws-eusc');
    const inRegion = (homeRegion: string, partition: string) => ({
      mode: 'account',
      homeRegion,
      exclusionsAdminPrincipalArns: [`arn:${partition}:iam::555555555555:role/Operators`],
    });
    expect(parseSettings(inRegion('eusc-de-east-1', 'aws-eusc')).partition).toBe('aws-eusc');
    expect(parseSettings(inRegion('cn-north-1', 'aws-cn')).partition).toBe('aws-cn');
  });
});
