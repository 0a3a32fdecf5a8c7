import { CommanderError } from 'commander';
import { CredentialReportParseError, IamUnusedError } from '../../../evaluator/errors';
import { awsProblem } from '../aws/failure';
import { commanderProblem } from './commander-problem';
import { type Problem, UsageError } from './errors';
import { printable } from './output';

/**
 * Every error the CLI prints is one line: `iam-unused: <what was wrong>: <the value> — <the fix>`.
 * No stack trace; scripts can split on the first ": " and the " — ".
 */
export function formatProblem(problem: Problem): string {
  const part = (text: string) => printable(text.replace(/\s*\n\s*/g, ' ').trim());
  return `iam-unused: ${part(problem.what)}: ${part(problem.value)} — ${part(problem.fix)}`;
}

/** The error line for anything thrown out of a command; `command` names it in the help hint. */
export function describeError(error: unknown, command = ''): string {
  return formatProblem(problemOf(error, command));
}

export function problemOf(error: unknown, command = ''): Problem {
  const help = `run \`iam-unused${command ? ` ${command}` : ''} --help\``;
  if (error instanceof UsageError && error.problem) return error.problem;
  if (error instanceof CommanderError) return commanderProblem(error, help);
  const aws = awsProblem(error);
  if (aws) return aws;
  if (error instanceof UsageError) return fromSentence('invalid input', error.message, `fix it; ${help}`);
  if (error instanceof CredentialReportParseError)
    return fromSentence(
      'not a valid IAM credential report',
      error.message,
      'fix the file, or download it again with `aws iam get-credential-report`',
    );
  if (error instanceof IamUnusedError)
    return fromSentence(
      words(error.name),
      error.message,
      'fix the cause named here and run the command again',
    );
  if (error instanceof Error)
    return {
      what: 'unexpected error',
      value: `${error.name}: ${error.message}`,
      fix: 'this is a bug in iam-unused: report it with the command you ran',
    };
  return {
    what: 'unexpected error',
    value: String(error),
    fix: 'this is a bug in iam-unused: report it with the command you ran',
  };
}

/**
 * Our older messages are sentences that end with the fix ("... got "x". Check the path."): the
 * last sentence becomes the fix, the rest the value; without one the kind's general fix is used.
 */
function fromSentence(what: string, message: string, fallbackFix: string): Problem {
  const text = message.trim();
  const split = /^([\s\S]*[.?!])\s+([A-Z](?:[^.?!]|[.?!](?=\S))*)[.?!]?$/.exec(text);
  if (split?.[1] && split[2]) return { what, value: split[1].replace(/\.$/, ''), fix: lowerFirst(split[2]) };
  return { what, value: text.replace(/\.$/, ''), fix: fallbackFix };
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]?.toLowerCase() + text.slice(1) : text;
}

/** PackScopeDeniedError -> "pack scope denied": the class names the kind of failure. */
function words(name: string): string {
  return name
    .replace(/Error$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}
