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

/** Where a command writes: stdout carries results only, stderr carries progress and errors. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Current time; injectable so tests are deterministic. */
  readonly now: () => Date;
  /** Whether stderr is a terminal (progress may redraw), false in tests and pipes. */
  readonly interactive: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    now: () => new Date(),
    interactive: Boolean(process.stderr.isTTY),
  };
}

/** Options every AWS-facing command accepts (standard SDK credential chain). */
export interface AwsOptions {
  readonly profile?: string;
  readonly region?: string;
}

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

/** One line for stderr: no stack trace, the message already names the value and the fix. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `error: ${String(error)}`;
  const line = `${error.name === 'Error' ? 'error' : error.name}: ${error.message}`;
  const hint = awsSetupHint(error);
  if (!hint) return line;
  return `${line}${/[.!?]$/.test(line) ? '' : '.'} ${hint}`;
}

/** The fix for the AWS setup problems every command can meet before its first real call. */
function awsSetupHint(error: Error): string | undefined {
  if (error.message === 'Region is missing') {
    return 'Pass --region (e.g. --region eu-west-1), or set a region in the profile or AWS_REGION.';
  }
  if (/ExpiredToken|TokenRefreshRequired/.test(error.name) || /token (has )?expired/i.test(error.message)) {
    return 'The credentials have expired: for SSO run `aws sso login --profile NAME`, then retry.';
  }
  if (error.name === 'CredentialsProviderError') {
    return (
      'Pass --profile NAME (for SSO profiles run `aws sso login --profile NAME` first) ' +
      'or set AWS credentials in the environment.'
    );
  }
  return undefined;
}
