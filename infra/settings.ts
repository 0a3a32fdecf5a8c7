import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import {
  EVALUATION_FREQUENCIES,
  type EvaluationFrequency,
  type RemediationMode,
} from '../conformance-pack/builder';
import {
  DEFAULT_EXCLUSION_PARAMETER_NAME,
  DEFAULT_MAX_AGE_DAYS,
  DEFAULT_REFRESH_DAYS,
  DEPLOYMENT_MODES,
  SETTING_KEYS,
  type SettingKey,
} from '../conformance-pack/names';
import { IamUnusedError, InvalidRuleParameterError } from '../evaluator/errors';
import { parseMaxAgeDays, parseParameterPath, parseRefreshDays } from '../evaluator/rule-parameters';

/** CloudWatch Logs retention values (days) that CloudFormation accepts; "never expire" is not offered. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const SETTING_DEFAULTS = {
  mode: 'organization',
  excludedAccountIds: [] as readonly string[],
  maxAgeDays: DEFAULT_MAX_AGE_DAYS,
  exclusionParameterName: DEFAULT_EXCLUSION_PARAMETER_NAME,
  evaluationRefreshDays: DEFAULT_REFRESH_DAYS,
  evaluationFrequency: 'TwentyFour_Hours',
  // Manual first: review `iam-unused report` before letting the runbook revoke on its own.
  remediationMode: 'manual',
  remediationMaximumAttempts: 5,
  remediationRetrySeconds: 60,
  logRetentionDays: 365,
  retainStacksOnAccountRemoval: false,
} as const satisfies Partial<Record<SettingKey, unknown>>;

/** What the organization modes need. */
export interface OrganizationSettings {
  readonly delegatedAdminAccountId: string;
  readonly managementAccountId: string;
  readonly targetOrganizationalUnitIds: readonly string[];
  /** Accounts the pack skips besides the management account. */
  readonly excludedAccountIds: readonly string[];
  readonly retainStacksOnAccountRemoval: boolean;
}

interface CommonSettings {
  readonly homeRegion: string;
  /** Derived from the home region. */
  readonly partition: string;
  readonly maxAgeDays: number;
  readonly exclusionParameterName: string;
  /** Days after which the evaluator puts an unchanged verdict again. */
  readonly evaluationRefreshDays: number;
  readonly evaluationFrequency: EvaluationFrequency;
  readonly remediation: {
    readonly mode: RemediationMode;
    readonly maximumAttempts: number;
    readonly retryAttemptSeconds: number;
  };
  readonly logRetentionDays: (typeof LOG_RETENTION_DAYS)[number];
  /** An account id or IAM principal ARN that may also assume the exclusions role. */
  readonly exclusionsRoleExtraPrincipal: string | undefined;
}

export type Settings = CommonSettings &
  (
    | {
        readonly mode: 'account';
        /** The single account; undefined = the account of the deploying credentials. */
        readonly accountId: string | undefined;
        readonly organization: undefined;
      }
    | {
        readonly mode: 'organization' | 'organization+management-account';
        readonly organization: OrganizationSettings;
      }
  );

const ACCOUNT_ID = /^\d{12}$/;
/** Config's limit for an organization conformance pack's ExcludedAccounts. */
const MAX_EXCLUDED_ACCOUNTS = 1000;
const REGION = /^[a-z]{2,4}(-[a-z]+){1,3}-\d{1,2}$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(root|(role|user)\/[\w+=,.@/-]+)$/;

/**
 * Region prefix → partition, for every partition whose region codes differ from the commercial
 * ones. A wrong partition would put a wrong literal ARN into the organization pack.
 */
const PARTITION_PREFIXES: readonly (readonly [string, string])[] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-iso-', 'aws-iso'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['eu-isoe-', 'aws-iso-e'],
  ['eusc-', 'aws-eusc'],
];

/** Partition of a region: the ARNs the pack and the roles use. */
export function partitionOf(region: string): string {
  return PARTITION_PREFIXES.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

/** Reads the keys this app knows from the CDK context. */
export function readContext(node: Node): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value: unknown = node.tryGetContext(key);
    if (value !== undefined) context[key] = value;
  }
  return context;
}

/**
 * Parses every setting at once. Any problem fails with InvalidSettingsError listing one line per
 * problem: the key, the value, the fix. `-c` values arrive as strings, cdk.json values as JSON.
 */
export function parseSettings(context: Readonly<Record<string, unknown>>): Settings {
  const problems: string[] = [];
  const problem = (key: SettingKey, value: unknown, fix: string) =>
    problems.push(`${key} = ${JSON.stringify(value)}: ${fix}`);
  const has = (key: SettingKey) => context[key] !== undefined && context[key] !== '';

  const oneOf = <T extends string>(key: SettingKey, allowed: readonly T[], fallback: T): T => {
    if (!has(key)) return fallback;
    const value = context[key];
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    problem(key, value, `must be one of ${allowed.join(', ')}.`);
    return fallback;
  };
  const integer = (key: SettingKey, min: number, max: number, fallback: number): number => {
    if (!has(key)) return fallback;
    const value = context[key];
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
    const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    problem(key, value, `must be a whole number from ${min} to ${max}, e.g. ${fallback}.`);
    return fallback;
  };
  const boolean = (key: SettingKey, fallback: boolean): boolean => {
    if (!has(key)) return fallback;
    const value = context[key];
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    problem(key, value, 'must be true or false.');
    return fallback;
  };
  const accountId = (key: SettingKey, required: boolean): string | undefined => {
    if (!has(key)) {
      if (required) problem(key, context[key], 'is required: the 12-digit account id, e.g. "111111111111".');
      return undefined;
    }
    const value = context[key];
    if (typeof value === 'string' && ACCOUNT_ID.test(value)) return value;
    problem(key, value, 'must be a 12-digit account id as a string, e.g. "111111111111".');
    return undefined;
  };
  /** A list from JSON (cdk.json) or from a comma-separated or JSON-array string (-c). */
  const list = (key: SettingKey): readonly unknown[] | undefined => {
    if (!has(key)) return undefined;
    const value = context[key];
    if (Array.isArray(value)) return value;
    if (typeof value === 'string') {
      const text = value.trim();
      if (text.startsWith('[')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined; // not JSON: reported just below, with the value
        }
        if (Array.isArray(parsed)) return parsed;
        problem(key, value, 'must be a JSON array of strings or a comma-separated list.');
        return [];
      }
      return text === '' ? [] : text.split(',').map((s) => s.trim());
    }
    problem(key, value, 'must be a list of strings (JSON array, or comma-separated with -c).');
    return [];
  };
  const ruleParameter = <T>(key: SettingKey, parse: () => T, fallback: T): T => {
    if (!has(key)) return fallback;
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof InvalidRuleParameterError)) throw error;
      problems.push(error.message);
      return fallback;
    }
  };

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
  const evaluationRefreshDays = ruleParameter(
    'evaluationRefreshDays',
    () => parseRefreshDays(context.evaluationRefreshDays, 'evaluationRefreshDays'),
    SETTING_DEFAULTS.evaluationRefreshDays,
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

  let exclusionsRoleExtraPrincipal: string | undefined;
  if (has('exclusionsRoleExtraPrincipal')) {
    const value = context.exclusionsRoleExtraPrincipal;
    if (typeof value === 'string' && (ACCOUNT_ID.test(value) || PRINCIPAL_ARN.test(value))) {
      exclusionsRoleExtraPrincipal = value;
    } else {
      problem(
        'exclusionsRoleExtraPrincipal',
        value,
        'must be a 12-digit account id or an IAM role/user ARN, e.g. "arn:aws:iam::111111111111:role/Operators".',
      );
    }
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

  if (problems.length > 0) throw new InvalidSettingsError(problems);

  const common: CommonSettings = {
    homeRegion,
    partition: partitionOf(homeRegion),
    maxAgeDays,
    exclusionParameterName,
    evaluationRefreshDays,
    evaluationFrequency,
    remediation: { mode: remediationMode, maximumAttempts, retryAttemptSeconds },
    logRetentionDays,
    exclusionsRoleExtraPrincipal,
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

/** The retention as CDK's enum (its values are the days themselves). */
export function logRetentionOf(settings: Settings): RetentionDays {
  return settings.logRetentionDays as number as RetentionDays;
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
