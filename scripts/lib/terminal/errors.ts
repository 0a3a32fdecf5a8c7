import { IamUnusedError } from '../../../evaluator/errors';

/** Bad input from a file or the command line: the CLI exits 2 before touching AWS. */
export class UsageError extends IamUnusedError {}
