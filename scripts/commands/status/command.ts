import { awsClients } from '../../lib/aws/clients';
import type { RegisterCommand } from '../../lib/terminal/command';
import { EXIT } from '../../lib/terminal/exit-codes';
import {
  addAwsOptions,
  addConcurrencyOption,
  addModeOption,
  addOutputOption,
  awsOptionsOf,
  type Mode,
} from '../../lib/terminal/options';
import { writeJson } from '../../lib/terminal/output';
import { accountStatus } from './read';
import { organizationStatus } from './read-organization';
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
        'Exit code: 0 when every account is healthy, 1 otherwise, 2 on bad usage.\n',
    );
  addAwsOptions(command);
  addModeOption(command);
  addOutputOption(command, ['table', 'json']);
  addConcurrencyOption(command);
  command.action(async (options: StatusOptions) => {
    const clients = awsClients(awsOptionsOf(options));
    const rows =
      options.mode === 'account'
        ? await accountStatus(clients, io.now())
        : await organizationStatus(io, clients, options.concurrency, io.now());
    if (options.output === 'json') writeJson(io, statusJson(rows));
    else io.stdout(renderStatusTable(rows, options.mode));
    const unhealthy = rows.filter((r) => !r.health.healthy).length;
    if (unhealthy > 0) io.stderr(`status: ${unhealthy} of ${rows.length} account(s) not healthy\n`);
    outcome.exitCode = unhealthy > 0 ? EXIT.findings : EXIT.ok;
  });
};
