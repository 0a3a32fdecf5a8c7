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
      throw new UsageError({
        what: `the file name says account ${file.accountId} but its users' ARNs are in account ${input.accountId}`,
        value: file.path,
        fix: `rename the file to ${input.accountId}.csv`,
      });
    inputs.push({ ...input, accountId: file.accountId });
  }
  return inputs;
}

/** A JSON document starts with { or [; a credential report starts with its header line. */
function wrongKind(text: string, kind: InputSource['kind'], path: string): UsageError | undefined {
  const json = /^\s*[{[]/.test(text);
  if (kind === 'credential-report' && json)
    return new UsageError({
      what: 'this --credential-report file is JSON',
      value: path,
      fix: `for a snapshot use --snapshot ${path}`,
    });
  if (kind === 'snapshot' && !json && /^\s*"?user"?,/.test(text))
    return new UsageError({
      what: 'this --snapshot file is a credential report (CSV)',
      value: path,
      fix: `for a credential report use --credential-report ${path}`,
    });
  return undefined;
}

/** Reads and parses the input file; every problem with it is a UsageError naming the file. */
export async function readInput(
  source: Exclude<InputSource, { kind: 'credential-reports' }>,
): Promise<PreviewInput> {
  if (source.kind === 'credential-report') {
    const text = await readInputFile(source.path, '--credential-report');
    const kind = wrongKind(text, source.kind, source.path);
    if (kind) throw kind;
    let facts: PreviewInput;
    try {
      facts = factsFromCredentialReport(text);
    } catch (cause) {
      if (cause instanceof UsageError) {
        throw new UsageError(`${JSON.stringify(source.path)}: ${cause.message}`, { cause });
      }
      throw cause;
    }
    // Every real report has the <root_account> row: a header alone is a cut-off download.
    if (facts.users.length === 0 && text.split(/\r?\n/).filter((l) => l.trim() !== '').length === 1)
      throw new UsageError({
        what: 'the credential report has no users, only its header line',
        value: source.path,
        fix: 'download it again: aws iam get-credential-report --query Content --output text | base64 -d > report.csv',
      });
    return facts;
  }
  const text = await readInputFile(source.path, '--snapshot');
  const kind = wrongKind(text, source.kind, source.path);
  if (kind) throw kind;
  const snapshot = parseSnapshot(text, `snapshot ${JSON.stringify(source.path)}`);
  return { accountId: snapshot.accountId, users: snapshot.users, approximations: [] };
}
