import { EVALUATION_FREQUENCIES, type RemediationMode } from '../conformance-pack/builder';
import { IamUnusedError } from '../evaluator/errors';
import { parseMaxAgeDays, parseParameterPath } from '../evaluator/rule-parameters';
import { parseAdminPrincipalArns } from './exclusions-trust';
import { DEPLOYMENT_MODES } from './setting-keys';
import { ACCOUNT_ID, SettingReader } from './setting-readers';
import {
  type CommonSettings,
  LOG_RETENTION_DAYS,
  partitionOf,
  SETTING_DEFAULTS,
  type Settings,
} from './settings';

/** Config's limit for an organization conformance pack's ExcludedAccounts. */
const MAX_EXCLUDED_ACCOUNTS = 1000;
const REGION = /^[a-z]{2,4}(-[a-z]+){1,3}-\d{1,2}$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

/**
 * Parses every setting at once. Any problem fails with InvalidSettingsError listing one line per
 * problem: the key, the value, the fix. `-c` values arrive as strings, cdk.json values as JSON.
 */
export function parseSettings(context: Readonly<Record<string, unknown>>): Settings {
  const read = new SettingReader(context);
  const { problem, has, oneOf, integer, boolean, accountId, list, ruleParameter } = read;

  const mode = oneOf('mode', DEPLOYMENT_MODES, SETTING_DEFAULTS.mode);

  let homeRegion = '';
  if (!has('homeRegion')) {
    problem(
      'homeRegion',
      context.homeRegion,
      'is required: the region where Config and the stacks run, e.g. "eu-west-1".',
    );
  } else if (typeof context.homeRegion === 'string' && REGION.test(context.homeRegion)) {
    homeRegion = context.homeRegion;
  } else {
    problem('homeRegion', context.homeRegion, 'must be a region code such as "eu-west-1".');
  }

  const maxAgeDays = ruleParameter(
    'maxAgeDays',
    () => parseMaxAgeDays(context.maxAgeDays, 'maxAgeDays'),
    SETTING_DEFAULTS.maxAgeDays,
  );
  const exclusionParameterName = ruleParameter(
    'exclusionParameterName',
    () => parseParameterPath(context.exclusionParameterName, 'exclusionParameterName'),
    SETTING_DEFAULTS.exclusionParameterName,
  );
  const evaluationFrequency = oneOf(
    'evaluationFrequency',
    EVALUATION_FREQUENCIES,
    SETTING_DEFAULTS.evaluationFrequency,
  );
  const remediationMode = oneOf<RemediationMode>(
    'remediationMode',
    ['automatic', 'manual'],
    SETTING_DEFAULTS.remediationMode,
  );
  // Config's own limits for MaximumAutomaticAttempts and RetryAttemptSeconds.
  const maximumAttempts = integer(
    'remediationMaximumAttempts',
    1,
    25,
    SETTING_DEFAULTS.remediationMaximumAttempts,
  );
  const retryAttemptSeconds = integer(
    'remediationRetrySeconds',
    1,
    2_678_000,
    SETTING_DEFAULTS.remediationRetrySeconds,
  );

  let logRetentionDays: CommonSettings['logRetentionDays'] = SETTING_DEFAULTS.logRetentionDays;
  if (has('logRetentionDays')) {
    const days = Number(context.logRetentionDays);
    const match = LOG_RETENTION_DAYS.find((d) => d === days);
    if (match === undefined || typeof context.logRetentionDays === 'boolean') {
      problem(
        'logRetentionDays',
        context.logRetentionDays,
        `must be one of ${LOG_RETENTION_DAYS.join(', ')}.`,
      );
    } else {
      logRetentionDays = match;
    }
  }

  if (has('exclusionsRoleExtraPrincipal')) {
    problem(
      'exclusionsRoleExtraPrincipal',
      context.exclusionsRoleExtraPrincipal,
      'was replaced by exclusionsAdminPrincipalArns (IAM role ARNs; an account id, i.e. a whole account, is no longer trusted): move the role ARN there and remove this key.',
    );
  }

  const isOrganization = mode !== 'account';
  const delegatedAdminAccountId = accountId('delegatedAdminAccountId', isOrganization);
  const managementAccountId = accountId('managementAccountId', isOrganization);
  if (delegatedAdminAccountId !== undefined && delegatedAdminAccountId === managementAccountId) {
    problem(
      'delegatedAdminAccountId',
      delegatedAdminAccountId,
      'must differ from managementAccountId: the management account cannot be its own delegated administrator.',
    );
  }
  const singleAccountId = accountId('accountId', false);
  const admins = parseAdminPrincipalArns(
    context.exclusionsAdminPrincipalArns,
    partitionOf(homeRegion),
    isOrganization ? delegatedAdminAccountId : undefined,
  );
  read.problems.push(...admins.problems);

  const targets = list('targetOrganizationalUnitIds');
  const targetOrganizationalUnitIds: string[] = [];
  if (isOrganization && (targets === undefined || targets.length === 0)) {
    problem(
      'targetOrganizationalUnitIds',
      context.targetOrganizationalUnitIds,
      'is required: the organization root id (r-…, from `aws organizations list-roots`) to cover every account, or OU ids (ou-…).',
    );
  }
  for (const id of targets ?? []) {
    if (typeof id === 'string' && (ROOT_ID.test(id) || OU_ID.test(id))) {
      if (!targetOrganizationalUnitIds.includes(id)) targetOrganizationalUnitIds.push(id);
    } else {
      problem(
        'targetOrganizationalUnitIds',
        id,
        'each entry must be a root id (r-xxxx) or an OU id (ou-xxxx-xxxxxxxx).',
      );
    }
  }

  const excludedAccountIds: string[] = [];
  for (const id of list('excludedAccountIds') ?? SETTING_DEFAULTS.excludedAccountIds) {
    if (typeof id === 'string' && ACCOUNT_ID.test(id)) {
      if (!excludedAccountIds.includes(id)) excludedAccountIds.push(id);
    } else {
      problem('excludedAccountIds', id, 'each entry must be a 12-digit account id as a string.');
    }
  }
  // ExcludedAccounts of an organization pack holds at most 1000 ids, the management account included.
  const others = excludedAccountIds.filter((id) => id !== managementAccountId);
  if (others.length > MAX_EXCLUDED_ACCOUNTS - 1) {
    problem(
      'excludedAccountIds',
      `${others.length} accounts`,
      `at most ${MAX_EXCLUDED_ACCOUNTS - 1} (the pack's ExcludedAccounts limit is ${MAX_EXCLUDED_ACCOUNTS}, the management account included): target fewer accounts with targetOrganizationalUnitIds instead.`,
    );
  }

  const retainStacksOnAccountRemoval = boolean(
    'retainStacksOnAccountRemoval',
    SETTING_DEFAULTS.retainStacksOnAccountRemoval,
  );

  if (read.problems.length > 0) throw new InvalidSettingsError(read.problems);

  const common: CommonSettings = {
    homeRegion,
    partition: partitionOf(homeRegion),
    maxAgeDays,
    exclusionParameterName,
    evaluationFrequency,
    remediation: { mode: remediationMode, maximumAttempts, retryAttemptSeconds },
    logRetentionDays,
    exclusionsAdmins: admins.principals,
  };
  if (mode === 'account') {
    return { ...common, mode, accountId: singleAccountId, organization: undefined };
  }
  return {
    ...common,
    mode,
    organization: {
      // Both are defined here: a missing one was a problem above.
      delegatedAdminAccountId: delegatedAdminAccountId as string,
      managementAccountId: managementAccountId as string,
      targetOrganizationalUnitIds,
      excludedAccountIds,
      retainStacksOnAccountRemoval,
    },
  };
}

/** The CDK app's settings (cdk.json context or `-c`) are missing or invalid; one line per problem. */
export class InvalidSettingsError extends IamUnusedError {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid settings (cdk.json "context" or -c key=value), ${problems.length} problem(s):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
  }
}
