import { readFile } from 'node:fs/promises';
import { ExclusionList } from '../../../evaluator/exclusions';
import { UsageError } from '../../lib/terminal/errors';
import { desiredEntries, type ExclusionFile, parseExclusionFile } from '../exclusions/plan';

/**
 * Each account's exclusion list for a preview: one `--exclude` list for every account, or the
 * per-account lists of the exclusions.yaml that `exclusions sync` writes (parsed by its parser).
 */
export type ExclusionsFor = (accountId: string | null) => ExclusionList;

export function fromExcludeOption(list: ExclusionList): ExclusionsFor {
  return () => list;
}

/** The list `exclusions sync` would write to the account (defaults alone for an unknown account). */
export function fromExclusionFile(file: ExclusionFile): ExclusionsFor {
  return (accountId) => ExclusionList.parse(desiredEntries(file, accountId ?? '').join(','), '--exclusions');
}

export async function readExclusionFile(path: string): Promise<ExclusionFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new UsageError(
      `cannot read the --exclusions file ${JSON.stringify(path)}: ${(cause as NodeJS.ErrnoException).code ?? 'unreadable'}. Check the path.`,
      { cause },
    );
  }
  // Advanced tier allowed: the preview shows verdicts; `exclusions sync` still checks the tier.
  return parseExclusionFile(text, `--exclusions ${JSON.stringify(path)}`, true);
}
