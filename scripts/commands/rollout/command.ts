import { awsClients } from '../../lib/aws/clients';
import type { RegisterCommand } from '../../lib/terminal/command';
import { EXIT, exitCodeHelp } from '../../lib/terminal/exit-codes';
import {
  addAwsOptions,
  addConcurrencyOption,
  addOutputOption,
  awsOptionsOf,
  parseAccountId,
} from '../../lib/terminal/options';
import { writeJson } from '../../lib/terminal/output';
import { runSteps } from './apply';
import { deployCommand, isBlocked, planRollout } from './plan';
import { preflightHasFindings, preflightJson, renderPreflight } from './preflight-render';
import { runPreflight } from './preflight-run';
import { observe } from './read';
import { renderRollout } from './render';

/**
 * `iam-unused rollout` (management account): checks, and with --apply sets up, what the
 * delegated-admin deployment needs, then the per-account preflight (read-only, every run).
 * Idempotent: a second run finds everything done.
 */

interface RolloutOptions {
  profile?: string;
  region?: string;
  output: 'table' | 'json';
  delegatedAdmin?: string;
  apply?: boolean;
  deployProfile?: string;
  adminProfile?: string;
  aggregator?: string;
  recorderRole?: string;
  concurrency: number;
}

export const registerRollout: RegisterCommand = (program, io, outcome) => {
  const command = program
    .command('rollout')
    .description(
      'Management account: check (and with --apply set up) all features, trusted access and the delegated administrator for StackSets and Config.',
    )
    .option(
      '--delegated-admin <account-id>',
      'the member account that will run the deployment',
      parseAccountId,
    )
    .option('--apply', 'make the changes (default: print the plan only)')
    .option(
      '--deploy-profile <name>',
      'profile of the delegated-admin account, used in the printed deploy command',
      'DELEGATED_ADMIN_PROFILE',
    )
    .option(
      '--admin-profile <name>',
      'profile of the delegated-admin account: the preflight reads the StackSet, the pack and the aggregator with it (default: these credentials)',
    )
    .option(
      '--aggregator <name>',
      'organization aggregator the preflight reads (default: ours, else the first covering the region)',
    )
    .option(
      '--recorder-role <name>',
      'role to assume in each account to read its configuration recorder (e.g. OrganizationAccountAccessRole)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  iam-unused rollout --delegated-admin 222222222222 --profile management           # plan\n' +
        '  iam-unused rollout --delegated-admin 222222222222 --apply --profile management   # do it\n\n' +
        exitCodeHelp(
          'when everything is done or can be done',
          'when a step is blocked or an account cannot work yet (preflight); 3 when a step failed',
        ),
    );
  addAwsOptions(command);
  addOutputOption(command, ['table', 'json']);
  addConcurrencyOption(command);
  command.action(async (options: RolloutOptions) => {
    const clients = await awsClients(awsOptionsOf(options));
    const facts = await observe(clients);
    const plan = planRollout(facts, options.delegatedAdmin);
    const blocked = isBlocked(plan);
    const { results, failed } = await runSteps(clients, plan, options.apply === true);
    const region = options.region ?? (await clients.organizations.config.region());
    const admin =
      options.adminProfile === undefined
        ? clients
        : await awsClients(awsOptionsOf({ profile: options.adminProfile, region }));
    const preflight = await runPreflight(io, clients, admin, {
      homeRegion: region,
      managementAccountId: facts.managementAccountId,
      accounts: facts.accounts,
      ...(options.aggregator === undefined ? {} : { aggregator: options.aggregator }),
      ...(options.recorderRole === undefined ? {} : { recorderRole: options.recorderRole }),
      concurrency: options.concurrency,
    });
    const deploy =
      plan.delegatedAdmin && !blocked
        ? deployCommand({
            delegatedAdmin: plan.delegatedAdmin,
            managementAccountId: facts.managementAccountId,
            region,
            rootId: facts.rootId,
            profile: options.deployProfile ?? 'DELEGATED_ADMIN_PROFILE',
          })
        : undefined;
    if (options.output === 'json') {
      writeJson(io, {
        delegatedAdmin: plan.delegatedAdmin ?? null,
        steps: results,
        deployCommand: deploy ?? null,
        preflight: preflightJson(preflight),
      });
    } else {
      io.stdout(
        renderRollout(results, {
          blocked,
          apply: options.apply === true,
          failed,
          deploy,
          delegatedAdmin: plan.delegatedAdmin,
        }) + renderPreflight(preflight),
      );
    }
    outcome.exitCode = failed
      ? EXIT.failure
      : blocked || preflightHasFindings(preflight)
        ? EXIT.findings
        : EXIT.ok;
  });
};
