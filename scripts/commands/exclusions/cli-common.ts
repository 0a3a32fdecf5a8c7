import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_EXCLUSION_PARAMETER_NAME } from '../../../conformance-pack/names';
import { errorMessage } from '../../../evaluator/error-text';
import { parseParameterPath } from '../../../evaluator/rule-parameters';
import type { TargetScope } from '../../lib/aws/targets';
import { UsageError } from '../../lib/terminal/errors';
import { type CommandOutcome, EXIT, exitCodeHelp } from '../../lib/terminal/exit-codes';
import type { CliIo } from '../../lib/terminal/io';
import {
  addAwsOptions,
  addConcurrencyOption,
  addModeOption,
  addOutputOption,
  addQuietOption,
  collectAccountId,
} from '../../lib/terminal/options';
import { writeJson } from '../../lib/terminal/output';
import type { ExclusionOptions } from './read';
import { renderExclusionResults } from './render';
import { type ExclusionResult, FAILED } from './result';

/** Options, account checks and the result summary every `iam-unused exclusions` subcommand shares. */

function parseParameterName(value: string): string {
  try {
    return parseParameterPath(value, '--parameter-name');
  } catch (error) {
    throw new InvalidArgumentError(errorMessage(error));
  }
}

export function common(command: Command, accountHelp: string): Command {
  addAwsOptions(command);
  addModeOption(command);
  addOutputOption(command, ['table', 'json']);
  addConcurrencyOption(command);
  addQuietOption(command);
  command.addHelpText(
    'after',
    `\n${exitCodeHelp('when every account worked', 'on a conflict, an overwrite, an outdated plan or a skipped account; 3 when an account failed')}`,
  );
  return command
    .option('--account <id>', accountHelp, collectAccountId)
    .option(
      '--parameter-name <path>',
      'SSM parameter holding the list (the pack parameter ExclusionParameterName)',
      parseParameterName,
      DEFAULT_EXCLUSION_PARAMETER_NAME,
    );
}

/** `required`: organization mode needs --account; `single`: exactly one (history, restore). */
export function checkAccountOption(options: ExclusionOptions, required: boolean, single = false): void {
  if (options.mode === 'account' && options.account?.length)
    throw new UsageError(
      '--account does not apply with --mode account: it works on the current account. Drop --account, or use --mode organization.',
    );
  if (required && options.mode === 'organization' && !options.account?.length)
    throw new UsageError('--account is required in organization mode, e.g. --account 111111111111.');
  if (single && (options.account?.length ?? 0) > 1)
    throw new UsageError(`--account takes one account here, got ${options.account?.join(', ')}.`);
}

export function scopeOf(options: ExclusionOptions): TargetScope {
  return options.account?.length ? { only: options.account } : {};
}

export function finish(
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
  // An account that could not be read or written is a failure (3); a conflict, an overwrite, an
  // outdated plan or a skipped account needs a look (1).
  outcome.exitCode = results.some((r) => r.status === 'failed')
    ? EXIT.failure
    : results.some((r) => FAILED.includes(r.status))
      ? EXIT.findings
      : EXIT.ok;
}
