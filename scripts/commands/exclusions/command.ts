import type { RegisterCommand } from '../../lib/terminal/command';
import { runChanges } from './change';
import { checkAccountOption, common, finish, scopeOf } from './cli-common';
import { registerHistory } from './history-command';
import { entryKey, validateEntries } from './plan';
import { type ExclusionOptions, listExclusions } from './read';
import { registerSync } from './sync-command';

/**
 * `iam-unused exclusions list|add|remove|sync|history|restore`: each account's exclusion list,
 * kept in the SSM parameter the evaluator reads. In organization mode the CLI assumes the
 * exclusions role in each member; in account mode it uses the current credentials. Every change
 * is printed first and written only with --apply.
 */

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
            ? 'Add user names or UserIds to the exclusion list of the given accounts; prints the change, writes only with --apply.'
            : 'Remove user names or UserIds from the exclusion list of the given accounts; prints the change, writes only with --apply.',
        )
        .argument('<names...>', 'IAM user names or UserIds (AIDA...)')
        .option('--apply', 'write the change (default: only print it)')
        .option('--advanced-tier', 'store a list over 4 KB as an advanced parameter')
        .addHelpText(
          'after',
          `\nExample:\n  iam-unused exclusions ${verb} --account 111111111111 breakglass --profile delegated-admin          # plan\n` +
            `  iam-unused exclusions ${verb} --account 111111111111 breakglass --apply --profile delegated-admin  # write\n`,
        ),
      'account to change (repeatable; required in organization mode)',
    ).action(
      async (names: string[], options: ExclusionOptions & { apply?: boolean; advancedTier?: boolean }) => {
        validateEntries(names, `exclusions ${verb}`);
        checkAccountOption(options, true);
        const keys = new Set(names.map(entryKey));
        const results = await runChanges(
          io,
          {
            options,
            label: `exclusions ${verb}`,
            apply: options.apply === true,
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
      },
    );
  }

  registerSync(exclusions, io, outcome);
  registerHistory(exclusions, io, outcome);
};
