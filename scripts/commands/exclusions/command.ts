import { readFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_EXCLUSION_PARAMETER_NAME } from '../../../conformance-pack/names';
import { errorMessage } from '../../../evaluator/error-text';
import { parseParameterPath } from '../../../evaluator/rule-parameters';
import type { TargetScope } from '../../lib/aws/targets';
import type { RegisterCommand } from '../../lib/terminal/command';
import { UsageError } from '../../lib/terminal/errors';
import { type CommandOutcome, EXIT } from '../../lib/terminal/exit-codes';
import type { CliIo } from '../../lib/terminal/io';
import {
  addAwsOptions,
  addConcurrencyOption,
  addModeOption,
  addOutputOption,
  collectAccountId,
} from '../../lib/terminal/options';
import { writeJson } from '../../lib/terminal/output';
import { runChanges } from './change';
import { desiredEntries, type ExclusionFile, entryKey, parseExclusionFile, validateEntries } from './plan';
import { type ExclusionOptions, listExclusions } from './read';
import { renderExclusionResults } from './render';
import { type ExclusionResult, FAILED } from './result';

/**
 * `iam-unused exclusions list|add|remove|sync`: each account's exclusion list, kept in the SSM
 * parameter the evaluator reads. In organization mode the CLI assumes the exclusions role in
 * each member; in account mode it uses the current credentials.
 */

function parseParameterName(value: string): string {
  try {
    return parseParameterPath(value, '--parameter-name');
  } catch (error) {
    throw new InvalidArgumentError(errorMessage(error));
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

function checkAccountOption(options: ExclusionOptions, required: boolean): void {
  if (options.mode === 'account' && options.account?.length)
    throw new UsageError(
      '--account does not apply with --mode account: it works on the current account. Drop --account, or use --mode organization.',
    );
  if (required && options.mode === 'organization' && !options.account?.length)
    throw new UsageError('--account is required in organization mode, e.g. --account 111111111111.');
}

function finish(
  io: CliIo,
  outcome: CommandOutcome,
  options: ExclusionOptions,
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

function scopeOf(options: ExclusionOptions): TargetScope {
  return options.account?.length ? { only: options.account } : {};
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
  ).action(async (options: ExclusionOptions) => {
    checkAccountOption(options, false);
    finish(io, outcome, options, await listExclusions(io, options, scopeOf(options)), true);
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
    ).action(async (names: string[], options: ExclusionOptions & { advancedTier?: boolean }) => {
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
  ).action(async (options: ExclusionOptions & { file: string; apply?: boolean; advancedTier?: boolean }) => {
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
