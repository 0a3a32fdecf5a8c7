import { readFile } from 'node:fs/promises';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_EXCLUSION_PARAMETER_NAME } from '../../../conformance-pack/names';
import { IamUnusedError } from '../../../evaluator/errors';
import { parseParameterPath } from '../../../evaluator/rule-parameters';
import { findOurRules, parameterMismatch } from '../../deployment/our-rules';
import { AssumeRoleError, type AwsClients, awsClients } from '../../lib/aws/clients';
import { MANAGEMENT_NOT_COVERED } from '../../lib/aws/organization';
import { type AccountTarget, forEachAccount, resolveTargets, type TargetScope } from '../../lib/aws/targets';
import { type CliIo, type CommandOutcome, EXIT } from '../../lib/terminal/cli-context';
import type { RegisterCommand } from '../../lib/terminal/command';
import { UsageError } from '../../lib/terminal/errors';
import {
  addAwsOptions,
  addConcurrencyOption,
  addModeOption,
  addOutputOption,
  awsOptionsOf,
  collectAccountId,
  type Mode,
} from '../../lib/terminal/options';
import { table, writeJson } from '../../lib/terminal/output';
import {
  desiredEntries,
  diffEntries,
  type ExclusionFile,
  encodeEntries,
  entryKey,
  parseExclusionFile,
  sizeProblem,
  validateEntries,
} from './plan';
import { ExclusionConflictError, readExclusions, type StoredExclusions, writeExclusions } from './store';

/**
 * `iam-unused exclusions list|add|remove|sync`: each account's exclusion list, kept in the SSM
 * parameter the evaluator reads. In organization mode the CLI assumes the exclusions role in
 * each member; in account mode it uses the current credentials.
 */

export type ExclusionStatus =
  | 'listed'
  | 'unchanged'
  | 'would-create'
  | 'would-update'
  | 'created'
  | 'updated'
  | 'conflict'
  /** Written, but on top of a change someone made between our version check and our write. */
  | 'overwrote'
  | 'failed'
  | 'skipped'
  | 'not-deployed';

export interface ExclusionResult {
  readonly accountId: string;
  readonly accountName: string;
  readonly status: ExclusionStatus;
  /** The list after the command (or as read, for list / failures after the read). */
  readonly entries: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** The parameter version read (list, plans) or written. */
  readonly version?: number;
  readonly message?: string;
}

const FAILED: readonly ExclusionStatus[] = ['conflict', 'overwrote', 'failed', 'skipped'];

interface CommonOptions {
  profile?: string;
  region?: string;
  mode: Mode;
  output: 'table' | 'json';
  account?: string[];
  parameterName: string;
  concurrency: number;
}

function parseParameterName(value: string): string {
  try {
    return parseParameterPath(value, '--parameter-name');
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

function common(command: Command, accountHelp: string): Command {
  addAwsOptions(command);
  addModeOption(command);
  addOutputOption(command, ['table', 'json']);
  addConcurrencyOption(command);
  return command
    .option('--account <id>', accountHelp, collectAccountId)
    .option(
      '--parameter-name <path>',
      'SSM parameter holding the list (the pack parameter ExclusionParameterName)',
      parseParameterName,
      DEFAULT_EXCLUSION_PARAMETER_NAME,
    );
}

function checkAccountOption(options: CommonOptions, required: boolean): void {
  if (options.mode === 'account' && options.account?.length)
    throw new UsageError(
      '--account does not apply with --mode account: it works on the current account. Drop --account, or use --mode organization.',
    );
  if (required && options.mode === 'organization' && !options.account?.length)
    throw new UsageError('--account is required in organization mode, e.g. --account 111111111111.');
}

/** The management account has no exclusions role unless the account stack is deployed there. */
class ManagementNotDeployed extends IamUnusedError {}

async function ssmFor(clients: AwsClients, target: AccountTarget): Promise<SSMClient> {
  if (target.current) return clients.ssm;
  try {
    return (await clients.member(target.accountId)).ssm;
  } catch (error) {
    if (error instanceof AssumeRoleError && target.isManagement && !target.explicit)
      throw new ManagementNotDeployed(
        `${MANAGEMENT_NOT_COVERED}; manage it with --mode account and its own credentials`,
        {
          cause: error,
        },
      );
    throw error;
  }
}

/** Turns the management account's missing role into its own row, which is not a failure. */
async function orNotDeployed(
  target: AccountTarget,
  work: () => Promise<ExclusionResult>,
): Promise<ExclusionResult> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ManagementNotDeployed)) throw error;
    return {
      accountId: target.accountId,
      accountName: target.accountName,
      status: 'not-deployed',
      entries: [],
      added: [],
      removed: [],
      message: error.message,
    };
  }
}

/**
 * Account mode uses the operator's own credentials, which IAM does not limit to the deployed
 * parameter (the exclusions role is): check that the rule here reads `parameterName`.
 */
async function parameterProblem(
  clients: AwsClients,
  target: AccountTarget,
  parameterName: string,
): Promise<string | undefined> {
  if (!target.current) return undefined;
  return parameterMismatch(await findOurRules(clients.config), parameterName);
}

function failedRow(target: AccountTarget, message: string, version?: number): ExclusionResult {
  return {
    accountId: target.accountId,
    accountName: target.accountName,
    status: 'failed',
    entries: [],
    added: [],
    removed: [],
    ...(version === undefined ? {} : { version }),
    message,
  };
}

/** What the account's list should become, given what is there now. */
type DesiredFn = (current: StoredExclusions, target: AccountTarget) => readonly string[];

interface ChangeRun {
  readonly options: CommonOptions;
  readonly label: string;
  readonly apply: boolean;
  readonly advancedTier: boolean;
  /** add/remove keep hand-written invalid entries out of their merge; sync replaces them. */
  readonly refuseInvalidCurrent: boolean;
  readonly desired: DesiredFn;
}

async function runChanges(io: CliIo, run: ChangeRun, scope: TargetScope): Promise<ExclusionResult[]> {
  const { options } = run;
  const clients = awsClients(awsOptionsOf(options));
  const { targets, skipped } = await resolveTargets(clients, options.mode, scope);
  const results = await forEachAccount(io, run.label, targets, options.concurrency, (target) =>
    orNotDeployed(target, async () => {
      const problem = await parameterProblem(clients, target, options.parameterName);
      if (problem) return failedRow(target, problem);
      const ssm = await ssmFor(clients, target);
      const current = await readExclusions(ssm, options.parameterName);
      const base = { accountId: target.accountId, accountName: target.accountName };
      if (current.unusable) return failedRow(target, current.unusable, current.version);
      if (run.refuseInvalidCurrent && current.invalid.length > 0) {
        return {
          ...base,
          status: 'failed',
          entries: current.entries,
          added: [],
          removed: [],
          ...(current.version === undefined ? {} : { version: current.version }),
          message: `the parameter holds entries the evaluator refuses (${current.invalid.join(', ')}); fix them with "exclusions sync" first`,
        } satisfies ExclusionResult;
      }
      const diff = diffEntries(current.entries, run.desired(current, target));
      const value = encodeEntries(diff.next);
      const unchanged = {
        ...base,
        entries: diff.next,
        added: diff.added,
        removed: diff.removed,
        ...(current.version === undefined ? {} : { version: current.version }),
      };
      if (!diff.changed) return { ...unchanged, status: 'unchanged' } satisfies ExclusionResult;
      const tooBig = sizeProblem(value, run.advancedTier);
      if (tooBig) return { ...unchanged, status: 'failed', message: tooBig } satisfies ExclusionResult;
      if (!run.apply)
        return {
          ...unchanged,
          status: current.exists ? 'would-update' : 'would-create',
        } satisfies ExclusionResult;
      try {
        const written = await writeExclusions(ssm, {
          parameterName: options.parameterName,
          basis: current,
          value,
          advancedTier: run.advancedTier,
        });
        const version = written.version === undefined ? {} : { version: written.version };
        if (written.overwritten.length > 0)
          return {
            ...unchanged,
            status: 'overwrote',
            ...version,
            message:
              `written as version ${written.version}, replacing version ${written.overwritten.join(', ')} that someone else wrote meanwhile; ` +
              `compare with: aws ssm get-parameter-history --name ${options.parameterName}`,
          } satisfies ExclusionResult;
        return {
          ...unchanged,
          status: current.exists ? 'updated' : 'created',
          ...version,
        } satisfies ExclusionResult;
      } catch (error) {
        if (error instanceof ExclusionConflictError)
          return { ...unchanged, status: 'conflict', message: error.message } satisfies ExclusionResult;
        throw error;
      }
    }),
  );
  return collect(results, skipped);
}

function collect(
  results: Awaited<ReturnType<typeof forEachAccount<ExclusionResult>>>,
  skipped: readonly { accountId: string; accountName: string; reason: string }[],
): ExclusionResult[] {
  const rows: ExclusionResult[] = results.map((r) =>
    r.ok
      ? r.value
      : {
          accountId: r.target.accountId,
          accountName: r.target.accountName,
          status: 'failed',
          entries: [],
          added: [],
          removed: [],
          message: r.error,
        },
  );
  for (const s of skipped)
    rows.push({ ...s, status: 'skipped', entries: [], added: [], removed: [], message: s.reason });
  return rows.sort((a, b) => a.accountId.localeCompare(b.accountId));
}

export function renderExclusionResults(results: readonly ExclusionResult[], list: boolean): string {
  if (list) {
    return table(
      ['ACCOUNT', 'NAME', 'VERSION', 'ENTRIES'],
      results.map((r) => [
        r.accountId,
        r.accountName,
        r.version === undefined ? '-' : String(r.version),
        r.status === 'listed'
          ? r.entries.length === 0
            ? r.version === undefined
              ? '(no parameter)'
              : '(empty)'
            : r.entries.join(', ')
          : `${r.status.toUpperCase()}: ${r.message ?? ''}`,
      ]),
    );
  }
  return table(
    ['ACCOUNT', 'NAME', 'RESULT', 'CHANGES', 'DETAIL'],
    results.map((r) => [
      r.accountId,
      r.accountName,
      r.status,
      [...r.added.map((e) => `+${e}`), ...r.removed.map((e) => `-${e}`)].join(' ') || '-',
      r.message ?? (r.entries.length > 0 ? `now: ${r.entries.join(', ')}` : 'now: (empty)'),
    ]),
  );
}

function finish(
  io: CliIo,
  outcome: CommandOutcome,
  options: CommonOptions,
  results: readonly ExclusionResult[],
  list: boolean,
): void {
  if (options.output === 'json') writeJson(io, results);
  else io.stdout(renderExclusionResults(results, list));
  const written = results.filter(
    (r) => r.status === 'created' || r.status === 'updated' || r.status === 'overwrote',
  ).length;
  const planned = results.filter((r) => r.status === 'would-create' || r.status === 'would-update').length;
  if (written > 0)
    io.stderr(
      `${written} parameter${written === 1 ? '' : 's'} written (${options.parameterName}). Each write starts a re-evaluation of the rule in that account (Parameter Store change event -> EventBridge).\n`,
    );
  if (planned > 0)
    io.stderr(`${planned} account${planned === 1 ? '' : 's'} would change: rerun with --apply to write.\n`);
  outcome.exitCode = results.some((r) => FAILED.includes(r.status)) ? EXIT.findings : EXIT.ok;
}

export const registerExclusions: RegisterCommand = (program, io, outcome) => {
  const exclusions = program
    .command('exclusions')
    .description("List and change each account's exclusion list (the SSM parameter the evaluator reads).");

  common(
    exclusions
      .command('list')
      .description("Show each account's current exclusion list.")
      .addHelpText(
        'after',
        '\nExample:\n  iam-unused exclusions list --account 111111111111 --profile delegated-admin\n',
      ),
    'only this account (repeatable; default: every active account of the organization)',
  ).action(async (options: CommonOptions) => {
    checkAccountOption(options, false);
    const clients = awsClients(awsOptionsOf(options));
    const { targets, skipped } = await resolveTargets(clients, options.mode, scopeOf(options));
    const results = await forEachAccount(io, 'exclusions list', targets, options.concurrency, (target) =>
      orNotDeployed(target, async () => {
        const problem = await parameterProblem(clients, target, options.parameterName);
        if (problem) return failedRow(target, problem);
        const current = await readExclusions(await ssmFor(clients, target), options.parameterName);
        if (current.unusable) return failedRow(target, current.unusable, current.version);
        return {
          accountId: target.accountId,
          accountName: target.accountName,
          status: current.invalid.length > 0 ? 'failed' : 'listed',
          entries: current.entries,
          added: [],
          removed: [],
          ...(current.version === undefined ? {} : { version: current.version }),
          ...(current.invalid.length > 0
            ? {
                message: `entries the evaluator refuses: ${current.invalid.join(', ')} (the rule fails closed)`,
              }
            : {}),
        } satisfies ExclusionResult;
      }),
    );
    finish(io, outcome, options, collect(results, skipped), true);
  });

  for (const verb of ['add', 'remove'] as const) {
    common(
      exclusions
        .command(verb)
        .description(
          verb === 'add'
            ? 'Add user names or UserIds to the exclusion list of the given accounts (writes immediately).'
            : 'Remove user names or UserIds from the exclusion list of the given accounts (writes immediately).',
        )
        .argument('<names...>', 'IAM user names or UserIds (AIDA...)')
        .option('--advanced-tier', 'store a list over 4 KB as an advanced parameter')
        .addHelpText(
          'after',
          `\nExample:\n  iam-unused exclusions ${verb} --account 111111111111 breakglass --profile delegated-admin\n`,
        ),
      'account to change (repeatable; required in organization mode)',
    ).action(async (names: string[], options: CommonOptions & { advancedTier?: boolean }) => {
      validateEntries(names, `exclusions ${verb}`);
      checkAccountOption(options, true);
      const keys = new Set(names.map(entryKey));
      const results = await runChanges(
        io,
        {
          options,
          label: `exclusions ${verb}`,
          apply: true,
          advancedTier: options.advancedTier === true,
          refuseInvalidCurrent: true,
          desired: (current) =>
            verb === 'add'
              ? [...current.entries, ...names]
              : current.entries.filter((e) => !keys.has(entryKey(e))),
        },
        scopeOf(options),
      );
      finish(io, outcome, options, results, false);
    });
  }

  common(
    exclusions
      .command('sync')
      .description(
        'Make every account match a desired-state file (defaults: + accounts: {ID: [names]}); prints the diff, writes only with --apply.',
      )
      .requiredOption('--file <path>', 'the desired-state YAML file, e.g. examples/exclusions.yaml')
      .option('--apply', 'write the changes (default: only print the plan)')
      .option('--advanced-tier', 'store lists over 4 KB as advanced parameters')
      .addHelpText(
        'after',
        '\nExample:\n  iam-unused exclusions sync --file exclusions.yaml --profile delegated-admin          # plan\n' +
          '  iam-unused exclusions sync --file exclusions.yaml --apply --profile delegated-admin  # write\n',
      ),
    'restrict to this account (repeatable; default: every active account)',
  ).action(async (options: CommonOptions & { file: string; apply?: boolean; advancedTier?: boolean }) => {
    checkAccountOption(options, false);
    let text: string;
    try {
      text = await readFile(options.file, 'utf8');
    } catch (cause) {
      throw new UsageError(`cannot read --file ${options.file}: ${(cause as Error).message}`, { cause });
    }
    const file: ExclusionFile = parseExclusionFile(text, options.file, options.advancedTier === true);
    const results = await runChanges(
      io,
      {
        options,
        label: 'exclusions sync',
        apply: options.apply === true,
        advancedTier: options.advancedTier === true,
        refuseInvalidCurrent: false,
        desired: (_current, target) => desiredEntries(file, target.accountId),
      },
      // Accounts the file names are checked against the organization and reported if outside it.
      { ...scopeOf(options), named: [...file.accounts.keys()] },
    );
    finish(io, outcome, options, results, false);
  });
};

function scopeOf(options: CommonOptions): TargetScope {
  return options.account?.length ? { only: options.account } : {};
}
