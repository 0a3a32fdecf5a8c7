import { join } from 'node:path';
// The SDK's own reader of ~/.aws/config and ~/.aws/credentials (installed with every SDK client),
// so the CLI sees exactly the profiles and regions the clients will.
import { getHomeDir, loadSharedConfigFiles } from '@smithy/core/config';
import { UsageError } from '../terminal/errors';
import type { AwsOptions } from '../terminal/options';

/** --profile (or AWS_PROFILE) names a profile that neither shared file holds. */
export class ProfileNotFoundError extends UsageError {}

/** No region from --region, AWS_REGION, AWS_DEFAULT_REGION or the profile. */
export class RegionMissingError extends UsageError {}

type Env = Readonly<Record<string, string | undefined>>;

export function sharedFilePaths(env: Env): { config: string; credentials: string } {
  return {
    config: env.AWS_CONFIG_FILE || join(getHomeDir(), '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(getHomeDir(), '.aws', 'credentials'),
  };
}

/**
 * Checks the profile and settles the region before any client exists, so a wrong --profile or a
 * missing region exits 2 without an AWS call. Region order is the aws cli's: --region,
 * AWS_REGION, AWS_DEFAULT_REGION (the JS SDK ignores this one), then the profile's region.
 */
export async function resolveAwsOptions(options: AwsOptions, env: Env = process.env): Promise<AwsOptions> {
  const explicit = options.profile ?? (env.AWS_PROFILE || undefined);
  // With keys in the environment the SDK uses them first, and AWS_PROFILE only picks the region.
  const mustExist = options.profile !== undefined || (explicit !== undefined && !env.AWS_ACCESS_KEY_ID);
  const envRegion = options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
  if (envRegion && !mustExist) return { ...options, region: envRegion };
  const name = explicit ?? 'default';
  const paths = sharedFilePaths(env);
  const files = await loadSharedConfigFiles({
    ignoreCache: true,
    configFilepath: paths.config,
    filepath: paths.credentials,
  });
  const profile = files.configFile[name] ?? files.credentialsFile[name];
  if (mustExist && !profile)
    throw new ProfileNotFoundError({
      what: 'AWS profile does not exist',
      value: name,
      fix: `neither ${paths.config} ([profile ${name}]) nor ${paths.credentials} ([${name}]) has it; list profiles with \`aws configure list-profiles\`, or create it with \`aws configure --profile ${name}\``,
    });
  const region = envRegion ?? profile?.region;
  if (!region)
    throw new RegionMissingError({
      what: 'no AWS region',
      value: `none from --region, AWS_REGION, AWS_DEFAULT_REGION or profile ${name} in ${paths.config}`,
      fix: 'pass --region (e.g. --region eu-west-1) or set AWS_REGION, or add `region = eu-west-1` to the profile',
    });
  return { ...options, region };
}
