/**
 * The CDK app's settings: the context keys it reads (cdk.json "context", or `-c key=value`).
 * infra/parse-settings.ts parses them; `iam-unused rollout` prints some of them in the deploy command.
 */
export const SETTING_KEYS = [
  'mode',
  'homeRegion',
  'delegatedAdminAccountId',
  'managementAccountId',
  'accountId',
  'targetOrganizationalUnitIds',
  'excludedAccountIds',
  'maxAgeDays',
  'exclusionParameterName',
  'evaluationFrequency',
  'remediationMode',
  'remediationMaximumAttempts',
  'remediationRetrySeconds',
  'logRetentionDays',
  'retainStacksOnAccountRemoval',
  // Replaced by exclusionsAdminPrincipalArns; still read, so a deployment that sets it is told so.
  'exclusionsRoleExtraPrincipal',
  'exclusionsAdminPrincipalArns',
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** Values of the `mode` setting: what the CDK app synthesizes. */
export const DEPLOYMENT_MODES = ['organization', 'account', 'organization+management-account'] as const;
export type DeploymentMode = (typeof DEPLOYMENT_MODES)[number];
