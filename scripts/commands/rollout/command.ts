import { awsClients } from '../../lib/aws/clients';
import type { RegisterCommand } from '../../lib/terminal/command';
import { EXIT } from '../../lib/terminal/exit-codes';
import { addAwsOptions, addOutputOption, awsOptionsOf, parseAccountId } from '../../lib/terminal/options';
import { writeJson } from '../../lib/terminal/output';
import { runSteps } from './apply';
import { deployCommand, isBlocked, planRollout } from './plan';
import { observe } from './read';
import { renderRollout } from './render';

/**
 * `iam-unused rollout` (management account): checks, and with --apply sets up, what the
 * delegated-admin deployment needs. Idempotent: a second run finds everything done.
 */

interface RolloutOptions {
  profile?: string;
  region?: string;
  output: 'table' | 'json';
  delegatedAdmin?: string;
  apply?: boolean;
  deployProfile?: string;
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
    .addHelpText(
      'after',
      '\nExamples:\n  iam-unused rollout --delegated-admin 222222222222 --profile management           # plan\n' +
        '  iam-unused rollout --delegated-admin 222222222222 --apply --profile management   # do it\n\n' +
        'Exit code: 0 when everything is done or can be done, 1 when a step is blocked or failed, 2 on bad usage.\n',
    );
  addAwsOptions(command);
  addOutputOption(command, ['table', 'json']);
  command.action(async (options: RolloutOptions) => {
    const clients = awsClients(awsOptionsOf(options));
    const facts = await observe(clients);
    const plan = planRollout(facts, options.delegatedAdmin);
    const blocked = isBlocked(plan);
    const { results, failed } = await runSteps(clients, plan, options.apply === true);
    const region = options.region ?? (await clients.organizations.config.region());
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
      });
    } else {
      io.stdout(
        renderRollout(results, {
          blocked,
          apply: options.apply === true,
          failed,
          deploy,
          delegatedAdmin: plan.delegatedAdmin,
        }),
      );
    }
    outcome.exitCode = blocked || failed ? EXIT.findings : EXIT.ok;
  });
};
