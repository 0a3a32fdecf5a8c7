import { awsClients } from '../../lib/aws/clients';
import type { RegisterCommand } from '../../lib/terminal/command';
import { EXIT, exitCodeHelp } from '../../lib/terminal/exit-codes';
import {
  addAwsOptions,
  addConcurrencyOption,
  addModeOption,
  addOutputOption,
  addQuietOption,
  awsOptionsOf,
  type Mode,
} from '../../lib/terminal/options';
import { writeJson } from '../../lib/terminal/output';
import { accountStatus } from './read';
import { organizationStatus } from './read-organization';
import { readRolloutSection, renderRolloutSection, rolloutProblems } from './reconciler';
import { renderStatusTable, statusJson } from './render';

/**
 * `iam-unused status`: one row per account with the evaluator (StackSet instance), the
 * conformance pack, whether the two agree, and, inside the account through the exclusions role,
 * the rule's last evaluation and its remediation executions. Those two are where the pack's
 * unverified choices (conformance-pack/builder.ts targetReferences()) show on a real
 * organization. Exit 1 when any account is not healthy.
 */

interface StatusOptions {
  profile?: string;
  region?: string;
  mode: Mode;
  output: 'table' | 'json';
  concurrency: number;
}

export const registerStatus: RegisterCommand = (program, io, outcome) => {
  const command = program
    .command('status')
    .description(
      "One row per account: StackSet instance, conformance pack, whether they agree, the rule's last evaluation and error, and failed remediations.",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  iam-unused status --profile delegated-admin\n  iam-unused status --mode account --profile workload\n\n' +
        exitCodeHelp('when every account is healthy', 'when an account is not healthy'),
    );
  addAwsOptions(command);
  addModeOption(command);
  addOutputOption(command, ['table', 'json']);
  addConcurrencyOption(command);
  addQuietOption(command);
  command.action(async (options: StatusOptions) => {
    const clients = await awsClients(awsOptionsOf(options));
    const [rows, rollout] =
      options.mode === 'account'
        ? [await accountStatus(clients, io.now()), undefined]
        : await Promise.all([
            organizationStatus(io, clients, options.concurrency, io.now()),
            readRolloutSection(clients.ssm),
          ]);
    if (options.output === 'json') writeJson(io, statusJson(rows, rollout));
    else
      io.stdout(
        renderStatusTable(rows, options.mode) + (rollout ? renderRolloutSection(rollout, io.now()) : ''),
      );
    const unhealthy = rows.filter((r) => !r.health.healthy).length;
    if (unhealthy > 0) io.stderr(`status: ${unhealthy} of ${rows.length} account(s) not healthy\n`);
    const uncovered = rollout ? rolloutProblems(rollout) : 0;
    outcome.exitCode = unhealthy > 0 || uncovered > 0 ? EXIT.findings : EXIT.ok;
  });
};
