import { InvalidArgumentError } from 'commander';
import { IamUnusedError } from '../../../evaluator/errors';
import { awsClients } from '../../lib/aws/clients';
import { isAwsError } from '../../lib/aws/errors';
import { forEachAccount, resolveTargets } from '../../lib/aws/targets';
import type { RegisterCommand } from '../../lib/terminal/command';
import { EXIT } from '../../lib/terminal/exit-codes';
import { awsOptionsOf } from '../../lib/terminal/options';
import { writeJson } from '../../lib/terminal/output';
import { runChanges } from './change';
import { checkAccountOption, common, finish, scopeOf } from './cli-common';
import { type AccountHistory, entriesOfVersion, readParameterHistory } from './history';
import { renderHistory } from './history-render';
import { type ExclusionOptions, ssmFor } from './read';

/**
 * `iam-unused exclusions history` (every kept version: when, who, what changed) and
 * `exclusions restore --version N` (that version's list written back as a new version; a plan
 * first, written only with --apply).
 */

/** GetParameterHistory failed in a way with a known fix. */
export class HistoryReadError extends IamUnusedError {}

function parseVersion(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1)
    throw new InvalidArgumentError(`expected a parameter version (1, 2, ...), got "${value}".`);
  return n;
}

function historyError(error: unknown, parameterName: string): unknown {
  if (isAwsError(error, 'ParameterNotFound'))
    return new HistoryReadError(
      `${parameterName} does not exist here, so it has no history; the evaluator fails in this account until it exists ` +
        '(create it with "exclusions sync", or "exclusions add --apply").',
      { cause: error },
    );
  if (isAwsError(error, 'AccessDeniedException', 'AccessDenied'))
    return new HistoryReadError(
      `reading the history of ${parameterName} was denied: the exclusions role needs ssm:GetParameterHistory on it ` +
        '(update the member stack), or pass --parameter-name if the deployment uses another parameter.',
      { cause: error },
    );
  return error;
}

async function readHistory(ssm: Parameters<typeof readParameterHistory>[0], parameterName: string) {
  try {
    return await readParameterHistory(ssm, parameterName);
  } catch (error) {
    throw historyError(error, parameterName);
  }
}

export const registerHistory: RegisterCommand = (exclusions, io, outcome) => {
  common(
    exclusions
      .command('history')
      .description(
        "Every kept version of an account's exclusion list: when, who wrote it (LastModifiedUser), and what changed.",
      )
      .addHelpText(
        'after',
        '\nExample:\n  iam-unused exclusions history --account 111111111111 --profile delegated-admin\n',
      ),
    'the account (required in organization mode)',
  ).action(async (options: ExclusionOptions) => {
    checkAccountOption(options, true, true);
    const clients = await awsClients(awsOptionsOf(options));
    const { targets, skipped } = await resolveTargets(clients, options.mode, scopeOf(options));
    const read = await forEachAccount(io, 'exclusions history', targets, 1, async (target) =>
      readHistory(await ssmFor(clients, target), options.parameterName),
    );
    const rows: AccountHistory[] = [
      ...read.map((r) => ({
        accountId: r.target.accountId,
        accountName: r.target.accountName,
        parameterName: options.parameterName,
        versions: r.ok ? r.value : [],
        ...(r.ok ? {} : { error: r.error }),
      })),
      ...skipped.map((s) => ({ ...s, parameterName: options.parameterName, versions: [], error: s.reason })),
    ];
    if (options.output === 'json') writeJson(io, rows);
    else io.stdout(renderHistory(rows));
    outcome.exitCode = rows.some((r) => r.error !== undefined) ? EXIT.findings : EXIT.ok;
  });

  common(
    exclusions
      .command('restore')
      .description(
        "Write an earlier version's list back as a new version of the account's exclusion list; prints the change, writes only with --apply.",
      )
      .requiredOption('--version <n>', 'the version to restore (see "exclusions history")', parseVersion)
      .option('--apply', 'write the change (default: only print it)')
      .option('--advanced-tier', 'store a list over 4 KB as an advanced parameter')
      .addHelpText(
        'after',
        '\nExample:\n  iam-unused exclusions restore --account 111111111111 --version 3 --profile delegated-admin          # plan\n' +
          '  iam-unused exclusions restore --account 111111111111 --version 3 --apply --profile delegated-admin  # write\n',
      ),
    'the account (required in organization mode)',
  ).action(
    async (options: ExclusionOptions & { version: number; apply?: boolean; advancedTier?: boolean }) => {
      checkAccountOption(options, true, true);
      const results = await runChanges(
        io,
        {
          options,
          label: 'exclusions restore',
          apply: options.apply === true,
          advancedTier: options.advancedTier === true,
          refuseInvalidCurrent: false,
          desired: async (_current, _target, ssm) =>
            entriesOfVersion(
              await readHistory(ssm, options.parameterName),
              options.version,
              options.parameterName,
            ),
        },
        scopeOf(options),
      );
      finish(io, outcome, options, results, false);
    },
  );
};
