import { Option } from 'commander';
import { IamUnusedError } from '../../../evaluator/errors';
import { ExclusionList } from '../../../evaluator/exclusions';
import { parseMaxAgeDays } from '../../../evaluator/rule-parameters';
import type { RegisterCommand } from '../../lib/terminal/command';
import { UsageError } from '../../lib/terminal/errors';
import { type CommandOutcome, EXIT } from '../../lib/terminal/exit-codes';
import type { CliIo } from '../../lib/terminal/io';
import { renderOrgHtml } from '../../verdicts/html/page';
import { buildOrgView } from '../../verdicts/org-view';
import { renderUsersCsv } from '../../verdicts/user-csv';
import { orgInputOfPreview, previewJson, previewUsers } from './document';
import {
  type ExclusionsFor,
  fromExcludeOption,
  fromExclusionFile,
  readExclusionFile,
} from './exclusions-source';
import { ISO_EXAMPLE, parseIsoInstant } from './iso-instant';
import { type OrgPreview, runOrgPreview } from './model';
import { type InputSource, readInputs } from './read';
import { renderOrgPreview } from './render';

/**
 * `iam-unused preview`: what the runbook would revoke, computed offline from a snapshot of IAM
 * facts with the very `decide` the Lambda runs. Nothing here talks to AWS.
 */

interface PreviewOptions {
  readonly snapshot?: string;
  readonly credentialReport?: string;
  readonly credentialReports?: string;
  readonly maxAge?: string;
  readonly exclude?: string;
  readonly exclusions?: string;
  readonly now?: string;
  readonly output: 'table' | 'json' | 'csv' | 'html';
}

/** The flags, checked and typed. */
interface PreviewContext {
  readonly maxAgeDays: number;
  readonly exclude: ExclusionList;
  readonly now: Date;
  readonly source: InputSource;
  readonly output: PreviewOptions['output'];
}

/** Validates every option before any file is read, so a usage error never leaves partial output. */
function readContext(options: PreviewOptions, io: CliIo): PreviewContext {
  const { maxAgeDays, exclude, now } = readPolicy(options, io);
  if (options.exclude !== undefined && options.exclusions !== undefined)
    throw new UsageError(
      "give --exclude LIST or --exclusions exclusions.yaml, not both: the file already names every account's list.",
    );
  return { maxAgeDays, exclude, now, source: inputSource(options), output: options.output };
}

function readPolicy(
  options: PreviewOptions,
  io: CliIo,
): { maxAgeDays: number; exclude: ExclusionList; now: Date } {
  if (options.maxAge === undefined) {
    throw new UsageError(
      '--max-age is required: the MaxCredentialUsageAge of the deployed rule, e.g. --max-age 90.',
    );
  }
  let maxAgeDays: number;
  try {
    maxAgeDays = parseMaxAgeDays(options.maxAge, '--max-age');
  } catch (cause) {
    throw asUsageError(cause);
  }
  let exclusions: ExclusionList;
  try {
    exclusions = ExclusionList.parse(options.exclude ?? '', '--exclude');
  } catch (cause) {
    throw asUsageError(cause);
  }
  let now = io.now();
  if (options.now !== undefined) {
    const parsed = parseIsoInstant(options.now);
    if (!parsed) {
      throw new UsageError(
        `--now must be an ISO 8601 date-time with a time zone, e.g. ${ISO_EXAMPLE}, got ${JSON.stringify(options.now)}.`,
      );
    }
    now = parsed;
  }
  return { maxAgeDays, exclude: exclusions, now };
}

/** Our own validation errors become usage errors (exit 2) with the same message; anything else is a bug. */
function asUsageError(error: unknown): unknown {
  return error instanceof IamUnusedError && !(error instanceof UsageError)
    ? new UsageError(error.message, { cause: error })
    : error;
}

/** Exactly one input: checked with the other options, before any file is read. */
function inputSource(options: PreviewOptions): InputSource {
  const given = [options.snapshot, options.credentialReport, options.credentialReports].filter(
    (x) => x !== undefined,
  ).length;
  if (given === 1 && options.snapshot !== undefined) return { kind: 'snapshot', path: options.snapshot };
  if (given === 1 && options.credentialReport !== undefined)
    return { kind: 'credential-report', path: options.credentialReport };
  if (given === 1 && options.credentialReports !== undefined)
    return { kind: 'credential-reports', dir: options.credentialReports };
  throw new UsageError(
    'give exactly one of --snapshot FILE.json or --credential-report FILE.csv' +
      (given === 0
        ? ' (or --credential-reports DIR with one report per account).'
        : ', not both (or --credential-reports DIR alone).'),
  );
}

function render(result: OrgPreview, output: PreviewContext['output']): string {
  switch (output) {
    case 'json':
      return `${JSON.stringify(previewJson(result), null, 2)}\n`;
    case 'csv':
      return renderUsersCsv(result.accounts.flatMap(previewUsers));
    case 'html':
      return renderOrgHtml(buildOrgView(orgInputOfPreview(result)));
    default:
      return renderOrgPreview(result);
  }
}

export async function preview(options: PreviewOptions, io: CliIo, outcome: CommandOutcome): Promise<void> {
  const context = readContext(options, io);
  const exclusionsFor: ExclusionsFor =
    options.exclusions === undefined
      ? fromExcludeOption(context.exclude)
      : fromExclusionFile(await readExclusionFile(options.exclusions));
  const inputs = await readInputs(context.source);
  const result = runOrgPreview(inputs, context.maxAgeDays, exclusionsFor, context.now);
  // Everything is computed before the first write: stdout is either complete or empty.
  io.stdout(render(result, context.output));
  const findings = result.accounts.some((a) => a.rows.some((r) => r.verdict.compliance === 'NON_COMPLIANT'));
  outcome.exitCode = findings ? EXIT.findings : EXIT.ok;
}

const HELP_AFTER = `
Decides every user exactly as the deployed rule would (same code as the Lambda), offline.
Exit code: 0 all COMPLIANT, 1 some user NON_COMPLIANT, 2 bad usage or input.

Example (the users of examples/article-snapshot.json, max age 30, one user excluded):
  $ npx iam-unused preview --snapshot examples/article-snapshot.json --max-age 30 \\
      --exclude test-active-user --now 2025-08-27T03:00:00Z
From this account's credential report instead:
  $ aws iam generate-credential-report
  $ aws iam get-credential-report --query Content --output text | base64 -d > report.csv
  $ npx iam-unused preview --credential-report report.csv --max-age 90 --output json
Org-wide dry run: one report per account, named ACCOUNT_ID.csv, and the exclusions.yaml of \`exclusions sync\`:
  $ npx iam-unused preview --credential-reports reports/ --exclusions exclusions.yaml --max-age 90 \\
      --output html > preview.html
`;

export const registerPreview: RegisterCommand = (program, io, outcome) => {
  program
    .command('preview')
    .description('Show what the remediation runbook would revoke, from a snapshot file (offline).')
    .option('--snapshot <file>', 'IAM facts as JSON (format: docs/cli.md, "Snapshot format")')
    .option(
      '--credential-report <file>',
      'or: the IAM credential report CSV (aws iam get-credential-report); some facts are approximated',
    )
    .option(
      '--credential-reports <dir>',
      'or: a directory of credential reports, one per account, each named by its 12-digit account id (111111111111.csv)',
    )
    .option('--max-age <days>', 'MaxCredentialUsageAge: stale after this many whole days unused (1-10000)')
    .option(
      '--exclude <list>',
      'the exclusion parameter value: user names or UserIds, comma/newline separated (default: none)',
    )
    .option(
      '--exclusions <file>',
      'or: the exclusions.yaml of `exclusions sync`: each account gets its own list (defaults + its entries)',
    )
    .option('--now <iso8601>', 'evaluate as of this instant, with zone (default: the current time)')
    .addOption(
      new Option('--output <format>', 'table for people; json or csv for machines; html: one page')
        .choices(['table', 'json', 'csv', 'html'])
        .default('table'),
    )
    .addHelpText('after', HELP_AFTER)
    // One line on stderr for commander's own errors too: the hint is appended, not a second line.
    .showHelpAfterError(false)
    .configureOutput({
      outputError: (text, write) => write(`${text.trimEnd()} (see: iam-unused preview --help)\n`),
    })
    .action(async (options: PreviewOptions) => preview(options, io, outcome));
};
