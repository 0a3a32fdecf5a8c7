import { awsClients } from '../../lib/aws/clients';
import type { RegisterCommand } from '../../lib/terminal/command';
import { formatProblem } from '../../lib/terminal/error-line';
import { UsageError } from '../../lib/terminal/errors';
import { EXIT, exitCodeHelp } from '../../lib/terminal/exit-codes';
import {
  addAwsOptions,
  addConcurrencyOption,
  addModeOption,
  addOutputOption,
  addQuietOption,
  awsOptionsOf,
  collectAccountId,
  type Mode,
  type OutputFormat,
} from '../../lib/terminal/options';
import { writeJson } from '../../lib/terminal/output';
import { pauseNotice } from '../pause/notice';
import { buildComplianceReport, complianceHasFindings } from './model';
import { readAccountCompliance, readOrganizationCompliance } from './read';
import {
  complianceReportJson,
  renderComplianceCsv,
  renderComplianceHtml,
  renderComplianceTable,
} from './render';

/**
 * `iam-unused report`: every evaluated user with its compliance and annotation, from the
 * organization aggregator (delegated admin) or, in account mode, from the current account.
 */

interface ComplianceReportOptions {
  profile?: string;
  region?: string;
  mode: Mode;
  output: OutputFormat;
  account?: string[];
  nonCompliant?: boolean;
  concurrency: number;
}

export const registerReport: RegisterCommand = (program, io, outcome) => {
  const command = program
    .command('report')
    .description(
      'Aggregated compliance: every evaluated IAM user per account, a summary per account, and who is revoked next.',
    )
    .option('--account <id>', 'only this account (repeatable)', collectAccountId)
    .option('--non-compliant', 'only list NON_COMPLIANT users (the summary still counts everyone)')
    .addHelpText(
      'after',
      '\nExamples:\n  iam-unused report --profile delegated-admin\n' +
        '  iam-unused report --output html --profile delegated-admin > iam-unused-report.html\n' +
        '  iam-unused report --mode account --non-compliant --profile workload\n\n' +
        exitCodeHelp(
          'when nothing shown is NON_COMPLIANT',
          'when a user shown is NON_COMPLIANT; 3 also when an account could not be read',
        ),
    );
  addAwsOptions(command);
  addModeOption(command);
  addOutputOption(command, ['table', 'json', 'csv', 'html']);
  addConcurrencyOption(command);
  addQuietOption(command);
  command.action(async (options: ComplianceReportOptions) => {
    if (options.mode === 'account' && options.account?.length)
      throw new UsageError('--account does not apply with --mode account: it reports the current account.');
    const clients = await awsClients(awsOptionsOf(options));
    const reads =
      options.mode === 'account'
        ? await readAccountCompliance(clients)
        : await readOrganizationCompliance(io, clients, {
            ...(options.account ? { accounts: options.account } : {}),
            concurrency: options.concurrency,
          });
    const pause = options.mode === 'account' ? undefined : await pauseNotice(clients.ssm);
    const report = {
      ...buildComplianceReport(reads, options.mode, io.now(), {
        nonCompliantOnly: options.nonCompliant === true,
      }),
      ...(pause === undefined ? {} : { pause }),
    };
    switch (options.output) {
      case 'json':
        writeJson(io, complianceReportJson(report));
        break;
      case 'csv':
        io.stdout(renderComplianceCsv(report));
        break;
      case 'html':
        io.stdout(renderComplianceHtml(report));
        break;
      default:
        io.stdout(renderComplianceTable(report));
    }
    for (const failed of report.accounts.filter((a) => a.error))
      io.stderr(
        `${formatProblem({
          what: 'account not read',
          value: `${failed.accountId} (${failed.error ?? ''})`,
          fix: `fix that, then rerun for it: iam-unused report --account ${failed.accountId}`,
        })}\n`,
      );
    // An account not read leaves the report incomplete: a failure (3) outranks findings (1).
    outcome.exitCode = report.accounts.some((a) => a.error)
      ? EXIT.failure
      : complianceHasFindings(report)
        ? EXIT.findings
        : EXIT.ok;
  });
};
