import { readFile } from 'node:fs/promises';
import { errorMessage } from '../../../evaluator/error-text';
import { UsageError } from '../../lib/terminal/errors';
import { factsFromCredentialReport } from './credential-report-facts';
import { listCredentialReports } from './credential-reports-dir';
import type { PreviewInput } from './model';
import { parseSnapshot } from './snapshot';

/** The one input file `preview` reads, as the flags named it. */
export type InputSource =
  | { readonly kind: 'snapshot'; readonly path: string }
  | { readonly kind: 'credential-report'; readonly path: string }
  | { readonly kind: 'credential-reports'; readonly dir: string };

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
            : errorMessage(cause);
    throw new UsageError(`cannot read the ${option} file ${JSON.stringify(path)}: ${why}. Check the path.`, {
      cause,
    });
  }
}

/** Reads every input the flags name: one file, or one credential report per account of a directory. */
export async function readInputs(source: InputSource): Promise<PreviewInput[]> {
  if (source.kind !== 'credential-reports') return [await readInput(source)];
  const inputs: PreviewInput[] = [];
  for (const file of await listCredentialReports(source.dir)) {
    const input = await readInput({ kind: 'credential-report', path: file.path });
    if (input.accountId !== null && input.accountId !== file.accountId)
      throw new UsageError(
        `${JSON.stringify(file.path)}: the file name says account ${file.accountId} but its users' ARNs are in account ${input.accountId}. Rename the file to ${input.accountId}.csv.`,
      );
    inputs.push({ ...input, accountId: file.accountId });
  }
  return inputs;
}

/** Reads and parses the input file; every problem with it is a UsageError naming the file. */
export async function readInput(
  source: Exclude<InputSource, { kind: 'credential-reports' }>,
): Promise<PreviewInput> {
  if (source.kind === 'credential-report') {
    const text = await readInputFile(source.path, '--credential-report');
    try {
      return factsFromCredentialReport(text);
    } catch (cause) {
      if (cause instanceof UsageError) {
        throw new UsageError(`${JSON.stringify(source.path)}: ${cause.message}`, { cause });
      }
      throw cause;
    }
  }
  const text = await readInputFile(source.path, '--snapshot');
  const snapshot = parseSnapshot(text, `snapshot ${JSON.stringify(source.path)}`);
  return { accountId: snapshot.accountId, users: snapshot.users, approximations: [] };
}
