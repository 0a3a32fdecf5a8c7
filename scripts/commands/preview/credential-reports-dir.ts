import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../lib/terminal/errors';

/**
 * The files of `--credential-reports DIR`: one credential report per account, named by its
 * 12-digit account id (111111111111.csv, or report-111111111111.csv).
 */

export interface AccountReportFile {
  readonly accountId: string;
  readonly path: string;
}

const ACCOUNT_IN_NAME = /(?:^|\D)(\d{12})(?:\D[^/]*)?\.csv$/i;

export async function listCredentialReports(dir: string): Promise<AccountReportFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such directory' : code === 'ENOTDIR' ? 'it is a file' : String(code);
    throw new UsageError(
      `cannot read the --credential-reports directory ${JSON.stringify(dir)}: ${why}. Give the directory that holds ACCOUNT_ID.csv files (or --credential-report FILE for one file).`,
      { cause },
    );
  }
  const files = new Map<string, AccountReportFile>();
  for (const name of names.sort()) {
    const accountId = ACCOUNT_IN_NAME.exec(name)?.[1];
    if (accountId === undefined) continue;
    const same = files.get(accountId);
    if (same)
      throw new UsageError(
        `--credential-reports ${JSON.stringify(dir)}: two files for account ${accountId}: ${JSON.stringify(same.path)} and ${JSON.stringify(join(dir, name))}. Keep one.`,
      );
    files.set(accountId, { accountId, path: join(dir, name) });
  }
  if (files.size === 0)
    throw new UsageError(
      `--credential-reports ${JSON.stringify(dir)}: no file named after a 12-digit account id with .csv, e.g. 111111111111.csv. Save one credential report per account there (see iam-unused preview --help).`,
    );
  return [...files.values()];
}
