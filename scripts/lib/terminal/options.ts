import { type Command, InvalidArgumentError, Option } from 'commander';

/**
 * Options and argument parsers the operator commands share. Parsers throw commander's
 * InvalidArgumentError, which the CLI maps to exit 2 before any AWS call.
 */

/** Options every AWS-facing command accepts (standard SDK credential chain). */
export interface AwsOptions {
  readonly profile?: string;
  readonly region?: string;
}

export const OUTPUT_FORMATS = ['table', 'json', 'csv', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const MODES = ['organization', 'account'] as const;
export type Mode = (typeof MODES)[number];

export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 32;

const ACCOUNT_ID = /^\d{12}$/;

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

export function parseAccountId(value: string): string {
  if (!isAccountId(value))
    throw new InvalidArgumentError(
      `expected a 12-digit AWS account id such as 111111111111, got "${value}".`,
    );
  return value;
}

/** For repeatable --account: collects every value, validated. */
export function collectAccountId(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), parseAccountId(value)];
}

export function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_CONCURRENCY)
    throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_CONCURRENCY}, got "${value}".`);
  return n;
}

/** A region is one DNS label (the SDK builds endpoints from it); stricter would refuse new regions. */
const REGION = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function parseRegion(value: string): string {
  if (!REGION.test(value))
    throw new InvalidArgumentError(`expected an AWS region such as eu-west-1, got "${value}".`);
  return value;
}

/** --profile and --region: passed to every SDK client; unset means the standard credential chain. */
export function addAwsOptions(command: Command): Command {
  return command
    .option('--profile <name>', 'AWS shared-config profile (default: the standard SDK credential chain)')
    .option('--region <region>', 'AWS region (default: from the profile or AWS_REGION)', parseRegion);
}

export function addOutputOption(command: Command, formats: readonly OutputFormat[]): Command {
  return command.addOption(
    new Option('--output <format>', 'output format').choices([...formats]).default('table'),
  );
}

export function addModeOption(command: Command): Command {
  return command.addOption(
    new Option(
      '--mode <mode>',
      'organization: delegated admin, every member account; account: only the current account (single-account deployment)',
    )
      .choices([...MODES])
      .default('organization'),
  );
}

export function addConcurrencyOption(command: Command): Command {
  return command.option(
    '--concurrency <n>',
    `accounts worked on at the same time (1-${MAX_CONCURRENCY})`,
    parseConcurrency,
    DEFAULT_CONCURRENCY,
  );
}

export function awsOptionsOf(options: { profile?: string; region?: string }): AwsOptions {
  return {
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.region === undefined ? {} : { region: options.region }),
  };
}
