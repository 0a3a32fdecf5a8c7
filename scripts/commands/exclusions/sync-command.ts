import { readFile } from 'node:fs/promises';
import type { RegisterCommand } from '../../lib/terminal/command';
import { UsageError } from '../../lib/terminal/errors';
import { type ChangeRun, runChanges } from './change';
import { checkAccountOption, common, finish, scopeOf } from './cli-common';
import { desiredEntries, parseExclusionFile } from './plan';
import type { ExclusionOptions } from './read';
import { planOf, planOutdated, readPlanFile, type SavedPlan, writePlanFile } from './saved-plan';

/**
 * `iam-unused exclusions sync`: make every account match a desired-state file. The plan can be
 * saved (--plan-out) and later applied exactly (--apply --plan), refusing any account whose
 * parameter moved since the plan was made.
 */

type SyncOptions = ExclusionOptions & {
  file?: string;
  apply?: boolean;
  advancedTier?: boolean;
  planOut?: string;
  plan?: string;
};

async function readDesiredFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new UsageError(`cannot read --file ${path}: ${(cause as Error).message}`, { cause });
  }
}

function checkSyncOptions(options: SyncOptions): void {
  checkAccountOption(options, false);
  if ((options.file === undefined) === (options.plan === undefined))
    throw new UsageError(
      'exclusions sync needs either --file (plan from a desired-state file) or --plan with --apply (apply a saved plan).',
    );
  if (options.plan !== undefined && options.apply !== true)
    throw new UsageError(`--plan ${options.plan} is applied only with --apply (it is already a plan).`);
  if (options.planOut !== undefined && options.apply === true)
    throw new UsageError(
      '--plan-out saves a plan for review: drop --apply, review the file, then run "exclusions sync --apply --plan FILE".',
    );
}

/** The run that applies a saved plan: exactly its lists, only where the parameter is at the planned version. */
function savedPlanRun(options: SyncOptions, plan: SavedPlan, planPath: string): ChangeRun {
  if (plan.parameterName !== options.parameterName)
    throw new UsageError(
      `the plan ${planPath} is for the parameter ${plan.parameterName}: pass --parameter-name ${plan.parameterName}.`,
    );
  const byAccount = new Map(plan.accounts.map((a) => [a.accountId, a]));
  const plannedFor = (accountId: string) => {
    const planned = byAccount.get(accountId);
    if (!planned) throw new UsageError(`account ${accountId} is not in the plan ${planPath}.`);
    return planned;
  };
  return {
    options,
    label: 'exclusions sync',
    apply: true,
    advancedTier: plan.advancedTier,
    refuseInvalidCurrent: false,
    refuse: (current, target) => planOutdated(plannedFor(target.accountId), current, planPath),
    desired: (_current, target) => plannedFor(target.accountId).entries,
  };
}

export const registerSync: RegisterCommand = (exclusions, io, outcome) => {
  common(
    exclusions
      .command('sync')
      .description(
        'Make every account match a desired-state file (defaults: + accounts: {ID: [names]}); prints the diff, writes only with --apply. ' +
          'Save the plan with --plan-out and apply exactly that plan with --apply --plan.',
      )
      .option('--file <path>', 'the desired-state YAML file, e.g. examples/exclusions.yaml')
      .option('--apply', 'write the changes (default: only print the plan)')
      .option(
        '--plan-out <path>',
        'save the plan (each list and the parameter version it was computed against)',
      )
      .option('--plan <path>', 'with --apply: write exactly this saved plan, refusing accounts changed since')
      .option('--advanced-tier', 'store lists over 4 KB as advanced parameters')
      .addHelpText(
        'after',
        '\nExamples:\n  iam-unused exclusions sync --file exclusions.yaml --profile delegated-admin          # plan\n' +
          '  iam-unused exclusions sync --file exclusions.yaml --apply --profile delegated-admin  # write\n' +
          '  iam-unused exclusions sync --file exclusions.yaml --plan-out plan.json          # save the plan for review\n' +
          '  iam-unused exclusions sync --apply --plan plan.json                             # write exactly that plan\n',
      ),
    'restrict to this account (repeatable; default: every active account)',
  ).action(async (options: SyncOptions) => {
    checkSyncOptions(options);
    if (options.plan !== undefined) {
      const plan = await readPlanFile(options.plan);
      const run = savedPlanRun(options, plan, options.plan);
      const planned = plan.accounts.map((a) => a.accountId);
      const only = options.account?.length ? planned.filter((id) => options.account?.includes(id)) : planned;
      // An empty plan changes nothing: no account is read.
      const results = only.length === 0 ? [] : await runChanges(io, run, { only, named: only });
      if (only.length === 0) io.stderr(`the plan ${options.plan} changes no account.\n`);
      finish(io, outcome, options, results, false);
      return;
    }
    const source = options.file as string;
    const advancedTier = options.advancedTier === true;
    const file = parseExclusionFile(await readDesiredFile(source), source, advancedTier);
    const results = await runChanges(
      io,
      {
        options,
        label: 'exclusions sync',
        apply: options.apply === true,
        advancedTier,
        refuseInvalidCurrent: false,
        desired: (_current, target) => desiredEntries(file, target.accountId),
      },
      // Accounts the file names are checked against the organization and reported if outside it.
      { ...scopeOf(options), named: [...file.accounts.keys()] },
    );
    if (options.planOut !== undefined) {
      const plan = planOf(results, {
        source,
        parameterName: options.parameterName,
        advancedTier,
        now: io.now(),
      });
      await writePlanFile(options.planOut, plan);
      io.stderr(
        `plan saved to ${options.planOut} (${plan.accounts.length} account(s) to change). Review it, then: iam-unused exclusions sync --apply --plan ${options.planOut}\n`,
      );
    }
    finish(io, outcome, options, results, false);
  });
};
