import { CommanderError } from 'commander';
import { CredentialReportParseError } from '../../../evaluator/errors';
import { UsageError } from './errors';

/** The one exit-code table every command shares (README "Exit codes", docs/cli.md). */
export const EXIT = {
  /** Nothing to revoke, every account healthy, nothing left to do. */
  ok: 0,
  /** Findings: non-compliant users, unhealthy accounts, blocked steps, conflicts to look at. */
  findings: 1,
  /** Usage or input error, found before any AWS call: nothing was touched. */
  usage: 2,
  /** AWS or runtime failure: credentials, network, access denied, throttled after retries. */
  failure: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Commands set this to say how the process should end; thrown errors map through exitCodeFor. */
export interface CommandOutcome {
  exitCode: ExitCode;
}

/** A bad command line or input file (exit 2), as opposed to a failure while working (exit 3). */
export function isUsageProblem(error: unknown): boolean {
  return (
    error instanceof UsageError ||
    error instanceof CredentialReportParseError ||
    (error instanceof CommanderError && error.exitCode !== 0)
  );
}

/** Usage errors and bad input files exit 2; every other thrown error is a failure, exit 3. */
export function exitCodeFor(error: unknown): ExitCode {
  return isUsageProblem(error) ? EXIT.usage : EXIT.failure;
}

/** The exit-code line of a command's --help: what 0 and 1 mean for it, then the shared 2 and 3. */
export function exitCodeHelp(ok: string, findings: string): string {
  return `Exit code: 0 ${ok}, 1 ${findings}, 2 bad usage or input (before any AWS call), 3 AWS or runtime failure (credentials, network, access denied, throttled).\n`;
}
