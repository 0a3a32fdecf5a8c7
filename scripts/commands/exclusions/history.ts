import { type ParameterHistory, paginateGetParameterHistory, type SSMClient } from '@aws-sdk/client-ssm';
import { IamUnusedError } from '../../../evaluator/errors';
import { splitExclusionValue } from '../../../evaluator/exclusions';
import { allItems, pagesOf } from '../../lib/aws/pages';
import { diffEntries, isWritableEntry } from './plan';

/**
 * The exclusion parameter's history (GetParameterHistory): every version SSM keeps, who wrote it
 * and what changed from the version before. `exclusions restore` writes an old version's list back
 * as a new version. SSM keeps the last 100 versions of a parameter.
 */

export interface ParameterVersion {
  readonly version: number;
  readonly modifiedAt?: Date;
  /** The writer's ARN; for CLI writes the session name is `iam-unused-<operator>`. */
  readonly modifiedBy?: string;
  readonly type?: string;
  /** undefined for a SecureString (never decrypted, never shown). */
  readonly entries?: readonly string[];
  /** Against the version before (the first version adds all its entries). */
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export interface AccountHistory {
  readonly accountId: string;
  readonly accountName: string;
  readonly parameterName: string;
  readonly versions: readonly ParameterVersion[];
  /** Why the history could not be read. */
  readonly error?: string;
}

/** The version asked for is not in the parameter's history. */
export class ParameterVersionNotFoundError extends IamUnusedError {}
/** The version exists but cannot be written back as an exclusion list. */
export class UnrestorableVersionError extends IamUnusedError {}

function versionOf(p: ParameterHistory, previous: readonly string[]): ParameterVersion {
  const entries = p.Type === 'SecureString' ? undefined : splitExclusionValue(p.Value ?? '');
  const diff = diffEntries(previous, entries ?? previous);
  return {
    version: p.Version ?? 0,
    ...(p.LastModifiedDate ? { modifiedAt: p.LastModifiedDate } : {}),
    ...(p.LastModifiedUser ? { modifiedBy: p.LastModifiedUser } : {}),
    ...(p.Type ? { type: p.Type } : {}),
    ...(entries ? { entries } : {}),
    added: diff.added,
    removed: diff.removed,
  };
}

/** Pure: the versions in ascending order, each with its change against the version before. */
export function historyOf(parameters: readonly ParameterHistory[]): ParameterVersion[] {
  const sorted = [...parameters].sort((a, b) => (a.Version ?? 0) - (b.Version ?? 0));
  const out: ParameterVersion[] = [];
  let previous: readonly string[] = [];
  for (const p of sorted) {
    const v = versionOf(p, previous);
    out.push(v);
    previous = v.entries ?? previous;
  }
  return out;
}

/** Every page of GetParameterHistory (a failing page fails the whole read: never a partial history). */
export async function readParameterHistory(
  ssm: SSMClient,
  parameterName: string,
): Promise<ParameterVersion[]> {
  return historyOf(
    await allItems(
      paginateGetParameterHistory(pagesOf(ssm), { Name: parameterName, WithDecryption: false }),
      (p) => p.Parameters,
    ),
  );
}

/** The list version `version` held, or a named error saying which versions exist. */
export function entriesOfVersion(
  history: readonly ParameterVersion[],
  version: number,
  parameterName: string,
): readonly string[] {
  const found = history.find((v) => v.version === version);
  if (!found) {
    const known = history.length === 0 ? 'none' : `${history[0]?.version}-${history.at(-1)?.version}`;
    throw new ParameterVersionNotFoundError(
      `${parameterName} has no version ${version} (versions kept: ${known}; SSM keeps the last 100). ` +
        'Pick one from "iam-unused exclusions history".',
    );
  }
  if (!found.entries)
    throw new UnrestorableVersionError(
      `${parameterName} version ${version} is a SecureString, which the evaluator cannot read; pick another version.`,
    );
  const invalid = found.entries.filter((e) => !isWritableEntry(e));
  if (invalid.length > 0)
    throw new UnrestorableVersionError(
      `${parameterName} version ${version} holds entries the evaluator refuses (${invalid.join(', ')}); pick another version or write the list with "exclusions sync".`,
    );
  return found.entries;
}

/** "assumed-role/<role>/<session>" or "user/<name>" from the writer's ARN: short enough for a table. */
export function writerOf(arn: string | undefined): string {
  if (!arn) return '-';
  return arn.split(':').slice(5).join(':') || arn;
}
