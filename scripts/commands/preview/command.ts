import { readFile } from 'node:fs/promises';
import { Option } from 'commander';
import {
  type CredentialAssessment,
  decide,
  type Policy,
  type UserFacts,
  type Verdict,
} from '../../../evaluator/decision';
import { IamUnusedError } from '../../../evaluator/errors';
import { ExclusionList } from '../../../evaluator/exclusions';
import { parseMaxAgeDays } from '../../../evaluator/rule-parameters';
import { type CliIo, type CommandOutcome, EXIT } from '../../lib/terminal/cli-context';
import type { RegisterCommand } from '../../lib/terminal/command';
import { UsageError } from '../../lib/terminal/errors';
import { renderTable } from '../../lib/terminal/table';
import {
  type Approximation,
  factsFromCredentialReport,
  ISO_EXAMPLE,
  parseIsoInstant,
  parseSnapshot,
} from './snapshot';

/**
 * `iam-unused preview`: what the runbook would revoke, computed offline from a snapshot of IAM
 * facts with the very `decide` the Lambda runs. Nothing here talks to AWS.
 */

/** The users to decide on, whatever file they came from. */
export interface PreviewInput {
  readonly accountId: string | null;
  readonly users: readonly UserFacts[];
  readonly approximations: readonly Approximation[];
}

export interface PreviewRow {
  readonly user: UserFacts;
  readonly verdict: Verdict;
}

export interface PreviewResult {
  readonly accountId: string | null;
  readonly maxAgeDays: number;
  readonly evaluatedAt: Date;
  readonly exclusions: ExclusionList;
  /** NON_COMPLIANT first, then by user name. */
  readonly rows: readonly PreviewRow[];
  readonly approximations: readonly Approximation[];
}

/** Decides every user of the input; pure. */
export function runPreview(input: PreviewInput, policy: Policy, now: Date): PreviewResult {
  const rows = input.users
    .map((user) => ({ user, verdict: decide(user, policy, now) }))
    .sort(
      (a, b) =>
        rank(a.verdict) - rank(b.verdict) ||
        a.user.userName.toLowerCase().localeCompare(b.user.userName.toLowerCase()),
    );
  return {
    accountId: input.accountId,
    maxAgeDays: policy.maxAgeDays,
    evaluatedAt: now,
    exclusions: policy.exclusions,
    rows,
    approximations: input.approximations,
  };
}

function rank(verdict: Verdict): number {
  return verdict.compliance === 'NON_COMPLIANT' ? 0 : 1;
}

/** The `--output json` document (the issue's shape, plus accountId and approximations). */
export function toJsonDocument(result: PreviewResult): unknown {
  return {
    accountId: result.accountId,
    maxCredentialUsageAge: result.maxAgeDays,
    evaluatedAt: result.evaluatedAt.toISOString(),
    users: result.rows.map(({ verdict }) => ({
      userName: verdict.userName,
      userId: verdict.userId,
      compliance: verdict.compliance,
      excluded: verdict.excluded,
      revoke: { password: verdict.revoke.password, accessKeys: [...verdict.revoke.accessKeyIds] },
      annotation: verdict.annotation,
    })),
    approximations: result.approximations,
  };
}

const APPROXIMATE_MARK = '*';

/** The `--output table` text for people. */
export function renderPreview(result: PreviewResult): string {
  const approximated = new Set(
    result.approximations.flatMap((a) => (a.userName === undefined ? [] : [`${a.userName}\0${a.field}`])),
  );
  const rows = result.rows.map(({ user, verdict }) => {
    const password = verdict.credentials.find((c) => c.credential === 'password');
    const passwordApprox =
      password?.basis === 'created' && approximated.has(`${user.userName}\0loginProfile.createDate`);
    return [
      user.userName,
      verdict.excluded ? `${verdict.compliance}\n(EXCLUDED)` : verdict.compliance,
      password ? `${age(password)}${passwordApprox ? ` ${APPROXIMATE_MARK}` : ''}` : 'no password',
      keysCell(user, verdict),
      revokeCell(verdict),
    ];
  });
  const nonCompliant = result.rows.filter((r) => r.verdict.compliance === 'NON_COMPLIANT');
  const excluded = result.rows.filter((r) => r.verdict.excluded).length;
  const passwords = nonCompliant.filter((r) => r.verdict.revoke.password).length;
  const keys = nonCompliant.reduce((n, r) => n + r.verdict.revoke.accessKeyIds.length, 0);
  const entries = result.exclusions.size;
  const lines = [
    `Account ${result.accountId ?? '(unknown)'}: credentials unused for ${result.maxAgeDays} days or more, ` +
      `as of ${result.evaluatedAt.toISOString()}; ${entries} exclusion entr${entries === 1 ? 'y' : 'ies'}.`,
    '',
    renderTable(
      [
        { header: 'USER' },
        { header: 'VERDICT' },
        { header: 'PASSWORD (days unused)' },
        { header: 'ACCESS KEYS (days unused)' },
        { header: 'WOULD REVOKE' },
      ],
      rows,
    ).trimEnd(),
    '',
    `${plural(result.rows.length, 'user')}: ${nonCompliant.length} NON_COMPLIANT, ` +
      `${result.rows.length - nonCompliant.length} COMPLIANT (${excluded} excluded). ` +
      `The runbook would delete ${plural(passwords, 'console password')} and deactivate ${plural(keys, 'access key')}.`,
  ];
  const userNotes = result.approximations.filter((a) => a.userName !== undefined);
  if (userNotes.length > 0) {
    const first = userNotes[0] as Approximation;
    lines.push(`${APPROXIMATE_MARK} Approximation: ${first.note}`);
  }
  for (const note of result.approximations.filter((a) => a.userName === undefined)) {
    lines.push(`Note: ${note.note}`);
  }
  return `${lines.join('\n')}\n`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function age(c: CredentialAssessment): string {
  return `${c.ageDays}d${c.basis === 'created' ? ' never used' : ''}${c.stale ? ' STALE' : ''}`;
}

function keysCell(user: UserFacts, verdict: Verdict): string {
  if (user.accessKeys.length === 0) return 'no keys';
  return user.accessKeys
    .map((key) => {
      const assessed = verdict.credentials.find((c) => c.accessKeyId === key.accessKeyId);
      // Inactive keys never count (deactivating them again changes nothing); show them anyway.
      return `${key.accessKeyId} ${assessed ? age(assessed) : 'inactive, ignored'}`;
    })
    .join('\n');
}

function revokeCell(verdict: Verdict): string {
  if (verdict.exclusion) {
    const by = verdict.exclusion.matchedBy === 'userId' ? 'UserId' : 'name';
    return `nothing: excluded by ${by} entry "${verdict.exclusion.entry.raw}"`;
  }
  const items = [
    ...(verdict.revoke.password ? ['console password'] : []),
    ...verdict.revoke.accessKeyIds.map((id) => `key ${id}`),
  ];
  return items.length === 0 ? 'nothing' : items.join('\n');
}

interface PreviewOptions {
  readonly snapshot?: string;
  readonly credentialReport?: string;
  readonly maxAge?: string;
  readonly exclude?: string;
  readonly now?: string;
  readonly output: 'table' | 'json';
}

/** Validates every option before any file is read, so a usage error never leaves partial output. */
function readPolicy(options: PreviewOptions, io: CliIo): { policy: Policy; now: Date } {
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
  return { policy: { maxAgeDays, exclusions }, now };
}

/** Our own validation errors become usage errors (exit 2) with the same message; anything else is a bug. */
function asUsageError(error: unknown): unknown {
  return error instanceof IamUnusedError && !(error instanceof UsageError)
    ? new UsageError(error.message, { cause: error })
    : error;
}

async function readInputFile(path: string, option: string): Promise<string> {
  try {
    // A byte-order mark (editors on Windows, spreadsheet exports) is not part of the content.
    return (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : cause instanceof Error
              ? cause.message
              : String(cause);
    throw new UsageError(`cannot read the ${option} file ${JSON.stringify(path)}: ${why}. Check the path.`, {
      cause,
    });
  }
}

/** Exactly one input: checked with the other options, before any file is read. */
function checkInputChoice(options: PreviewOptions): void {
  if ((options.snapshot === undefined) === (options.credentialReport === undefined)) {
    throw new UsageError(
      'give exactly one of --snapshot FILE.json or --credential-report FILE.csv' +
        (options.snapshot === undefined ? '.' : ', not both.'),
    );
  }
}

async function readInput(options: PreviewOptions): Promise<PreviewInput> {
  if (options.credentialReport !== undefined) {
    const text = await readInputFile(options.credentialReport, '--credential-report');
    try {
      return factsFromCredentialReport(text);
    } catch (cause) {
      if (cause instanceof UsageError) {
        throw new UsageError(`${JSON.stringify(options.credentialReport)}: ${cause.message}`, { cause });
      }
      throw cause;
    }
  }
  const path = options.snapshot as string;
  const snapshot = parseSnapshot(await readInputFile(path, '--snapshot'), `snapshot ${JSON.stringify(path)}`);
  return { accountId: snapshot.accountId, users: snapshot.users, approximations: [] };
}

export async function preview(options: PreviewOptions, io: CliIo, outcome: CommandOutcome): Promise<void> {
  const { policy, now } = readPolicy(options, io);
  checkInputChoice(options);
  const input = await readInput(options);
  const result = runPreview(input, policy, now);
  // Everything is computed before the first write: stdout is either complete or empty.
  io.stdout(
    options.output === 'json'
      ? `${JSON.stringify(toJsonDocument(result), null, 2)}\n`
      : renderPreview(result),
  );
  const findings = result.rows.some((r) => r.verdict.compliance === 'NON_COMPLIANT');
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
    .option('--max-age <days>', 'MaxCredentialUsageAge: stale after this many whole days unused (1-10000)')
    .option(
      '--exclude <list>',
      'the exclusion parameter value: user names or UserIds, comma/newline separated (default: none)',
    )
    .option('--now <iso8601>', 'evaluate as of this instant, with zone (default: the current time)')
    .addOption(
      new Option('--output <format>', 'table for people, json for machines')
        .choices(['table', 'json'])
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
