import { CredentialReportParseError, IamUnusedError } from '../../../evaluator/errors';
import { UsageError } from './errors';

/** Exit codes every command shares. */
export const EXIT = {
  ok: 0,
  /** Findings (non-compliant users, unhealthy accounts) or failures in some accounts. */
  findings: 1,
  /** Bad usage or a bad input file: nothing was touched. */
  usage: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Commands set this to say how the process should end; thrown errors map through exitCodeFor. */
export interface CommandOutcome {
  exitCode: ExitCode;
}

/** Usage errors and bad input files (a malformed credential report) exit 2; other errors exit 1. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError || error instanceof CredentialReportParseError) return EXIT.usage;
  if (error instanceof IamUnusedError) return EXIT.findings;
  return EXIT.findings;
}
