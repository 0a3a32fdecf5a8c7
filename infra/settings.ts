import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import type { EvaluationFrequency, RemediationMode } from '../conformance-pack/builder';
import { DEFAULT_EXCLUSION_PARAMETER_NAME, DEFAULT_MAX_AGE_DAYS } from '../conformance-pack/names';
import type { AdminPrincipals } from './exclusions-trust';
import { SETTING_KEYS, type SettingKey } from './setting-keys';

// The CDK app's settings: their type, defaults and derived values. infra/parse-settings.ts
// validates the context into this type.

/** CloudWatch Logs retention values (days) that CloudFormation accepts; "never expire" is not offered. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const SETTING_DEFAULTS = {
  mode: 'organization',
  excludedAccountIds: [] as readonly string[],
  maxAgeDays: DEFAULT_MAX_AGE_DAYS,
  exclusionParameterName: DEFAULT_EXCLUSION_PARAMETER_NAME,
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

export interface CommonSettings {
  readonly homeRegion: string;
  /** Derived from the home region. */
  readonly partition: string;
  readonly maxAgeDays: number;
  readonly exclusionParameterName: string;
  readonly evaluationFrequency: EvaluationFrequency;
  readonly remediation: {
    readonly mode: RemediationMode;
    readonly maximumAttempts: number;
    readonly retryAttemptSeconds: number;
  };
  readonly logRetentionDays: (typeof LOG_RETENTION_DAYS)[number];
  /** The IAM roles that may assume the exclusions role (infra/exclusions-trust.ts). */
  readonly exclusionsAdmins: AdminPrincipals;
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

/** The retention as CDK's enum (its values are the days themselves). */
export function logRetentionOf(settings: Settings): RetentionDays {
  return settings.logRetentionDays as number as RetentionDays;
}
