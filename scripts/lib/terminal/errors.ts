import { IamUnusedError } from '../../../evaluator/errors';

/** The three parts of every error line: what was wrong, the value, and the fix. */
export interface Problem {
  readonly what: string;
  readonly value: string;
  readonly fix: string;
}

/**
 * Bad input from a file or the command line: the CLI exits 2 before touching AWS. Built from a
 * Problem it prints exactly that; built from a sentence (older call sites) the sentence is split.
 */
export class UsageError extends IamUnusedError {
  readonly problem?: Problem;

  constructor(message: string | Problem, options?: { cause?: unknown }) {
    super(
      typeof message === 'string' ? message : `${message.what}: ${message.value} — ${message.fix}`,
      options,
    );
    if (typeof message !== 'string') this.problem = message;
  }
}
