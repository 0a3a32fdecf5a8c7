import { Option } from 'commander';
import { IamUnusedError } from '../../../evaluator/errors';
import { ExclusionList } from '../../../evaluator/exclusions';
import { parseMaxAgeDays } from '../../../evaluator/rule-parameters';
import { parseWarnDays } from '../../../evaluator/warnings/parameters';
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
  readonly warnDays: string;
  readonly output: 'table' | 'json' | 'csv' | 'html';
}

const DAY_MS = 86_400_000;
/** AWS opened in 2006: no IAM credential was used earlier. */
const EARLIEST_NOW = new Date('2006-01-01T00:00:00Z');

/** The flags, checked and typed. */
interface PreviewContext {
  readonly maxAgeDays: number;
  readonly exclude: ExclusionList;
  readonly now: Date;
  readonly source: InputSource;
  readonly output: PreviewOptions['output'];
  readonly warnDays: number;
}

/** Validates every option before any file is read, so a usage error never leaves partial output. */
function readContext(options: PreviewOptions, io: CliIo): PreviewContext {
  const { maxAgeDays, exclude, now } = readPolicy(options, io);
  if (options.exclude !== undefined && options.exclusions !== undefined)
    throw new UsageError(
      "give --exclude LIST or --exclusions exclusions.yaml, not both: the file already names every account's list.",
    );
  let warnDays: number;
  try {
    warnDays = parseWarnDays(options.warnDays, '--warn-days');
  } catch (cause) {
    throw asUsageError(cause);
  }
  return { maxAgeDays, exclude, now, source: inputSource(options), output: options.output, warnDays };
}

function readPolicy(
  options: PreviewOptions,
  io: CliIo,
): { maxAgeDays: number; exclude: ExclusionList; now: Date } {
  if (options.maxAge === undefined) {
    throw new UsageError({
      what: '--max-age is required',
      value: 'not given',
      fix: 'pass the MaxCredentialUsageAge of the deployed rule, e.g. --max-age 90',
    });
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
      throw new UsageError({
        what: '--now must be an ISO 8601 date-time with a time zone',
        value: JSON.stringify(options.now),
        fix: `e.g. ${ISO_EXAMPLE}`,
      });
    }
    // Before AWS existed or in the future, every age would be negative or invented.
    const latest = new Date(now.getTime() + DAY_MS);
    if (parsed < EARLIEST_NOW || parsed > latest) {
      throw new UsageError({
        what: '--now is outside the instants a credential can be judged at',
        value: options.now,
        fix: `give an instant from ${EARLIEST_NOW.toISOString()} to one day from now (${latest.toISOString()})`,
      });
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
  throw new UsageError({
    what: given === 0 ? 'no input' : 'more than one input',
    value:
      given === 0
        ? 'none of --snapshot, --credential-report, --credential-reports'
        : 'more than one of --snapshot, --credential-report, --credential-reports',
    fix: 'give exactly one of --snapshot FILE.json, --credential-report FILE.csv or --credential-reports DIR (one report per account)',
  });
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
  const result = runOrgPreview(inputs, context.maxAgeDays, exclusionsFor, context.now, context.warnDays);
  // Everything is computed before the first write: stdout is either complete or empty.
  io.stdout(render(result, context.output));
  const findings = result.accounts.some((a) => a.rows.some((r) => r.verdict.compliance === 'NON_COMPLIANT'));
  outcome.exitCode = findings ? EXIT.findings : EXIT.ok;
}

const HELP_AFTER = `
Decides every user exactly as the deployed rule would (same code as the Lambda), offline.
Exit code: 0 all COMPLIANT, 1 some user NON_COMPLIANT, 2 bad usage or input.

Example (the users of examples/article-snapshot.json, max age 30, one user excluded):
  $ iam-unused preview --snapshot examples/article-snapshot.json --max-age 30 \\
      --exclude test-active-user --now 2025-08-27T03:00:00Z
From this account's credential report instead:
  $ aws iam generate-credential-report
  $ aws iam get-credential-report --query Content --output text | base64 -d > report.csv
  $ iam-unused preview --credential-report report.csv --max-age 90 --output json
Org-wide dry run: one report per account, named ACCOUNT_ID.csv, and the exclusions.yaml of \`exclusions sync\`:
  $ iam-unused preview --credential-reports reports/ --exclusions exclusions.yaml --max-age 90 \\
      --output html > preview.html
`;

export const registerPreview: RegisterCommand = (program, io, outcome) => {
  program
    .command('preview')
    .description('Show what the remediation runbook would revoke, from a snapshot file (offline).')
    .option(
      '--snapshot <file>',
      'IAM facts as JSON (format: docs/cli.md, "Snapshot format"); this or --credential-report is required',
    )
    .option(
      '--credential-report <file>',
      'or: the IAM credential report CSV (aws iam get-credential-report); some facts are approximated',
    )
    .option(
      '--credential-reports <dir>',
      'or: a directory of credential reports, one per account, each named by its 12-digit account id (111111111111.csv)',
    )
    .option(
      '--max-age <days>',
      'MaxCredentialUsageAge: stale after this many whole days unused (1-10000) (required)',
    )
    .option(
      '--exclude <list>',
      'the exclusion parameter value: user names or UserIds, comma/newline separated (default: none)',
    )
    .option(
      '--exclusions <file>',
      'or: the exclusions.yaml of `exclusions sync`: each account gets its own list (defaults + its entries)',
    )
    .option('--warn-days <days>', 'WarnDaysBeforeRevoke: also list who would be warned today (0: off)', '7')
    .option('--now <iso8601>', 'evaluate as of this instant, with zone (default: the current time)')
    .addOption(
      new Option('-o, --output <format>', 'table for people; json or csv for machines; html: one page')
        .choices(['table', 'json', 'csv', 'html'])
        .default('table'),
    )
    .addHelpText('after', HELP_AFTER)
    .action(async (options: PreviewOptions) => preview(options, io, outcome));
};
