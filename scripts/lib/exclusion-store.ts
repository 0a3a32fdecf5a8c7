import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { IamUnusedError } from '../../evaluator/errors';
import { splitExclusionValue } from '../../evaluator/exclusions';
import { isAwsError } from './aws-errors';
import { isWritableEntry } from './exclusion-plan';

/** The exclusion parameter as read, with the Version that later writes compare against. */
export interface StoredExclusions {
  readonly exists: boolean;
  /** SSM parameter version; undefined when the parameter does not exist. */
  readonly version?: number;
  readonly entries: readonly string[];
  /** Entries the evaluator would refuse (someone edited the parameter by hand). */
  readonly invalid: readonly string[];
}

/** Someone else changed the parameter between our read and our write: we did not overwrite it. */
export class ExclusionConflictError extends IamUnusedError {
  constructor(
    readonly parameterName: string,
    readonly expected: number | undefined,
    readonly found: number | undefined,
  ) {
    const v = (n: number | undefined) => (n === undefined ? 'absent' : `version ${n}`);
    super(
      `${parameterName} changed since it was read (${v(expected)} then, ${v(found)} now); not overwritten. ` +
        'Rerun to see the current list and plan again.',
    );
  }
}

export async function readExclusions(ssm: SSMClient, parameterName: string): Promise<StoredExclusions> {
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: parameterName }));
    const entries = splitExclusionValue(out.Parameter?.Value ?? '');
    return {
      exists: true,
      ...(out.Parameter?.Version === undefined ? {} : { version: out.Parameter.Version }),
      entries,
      invalid: entries.filter((e) => !isWritableEntry(e)),
    };
  } catch (error) {
    if (isAwsError(error, 'ParameterNotFound')) return { exists: false, entries: [], invalid: [] };
    throw error;
  }
}

export interface WriteRequest {
  readonly parameterName: string;
  /** What the plan was made from: the write goes ahead only if the parameter is still at this version. */
  readonly basis: StoredExclusions;
  readonly value: string;
  readonly advancedTier: boolean;
}

/**
 * Writes the list unless the parameter moved since `basis` was read. SSM has no conditional
 * put, so this re-reads the version right before writing; creation uses Overwrite=false, which
 * SSM refuses if the parameter appeared meanwhile. Returns the new version.
 */
export async function writeExclusions(ssm: SSMClient, request: WriteRequest): Promise<number | undefined> {
  const { parameterName, basis } = request;
  const now = await readExclusions(ssm, parameterName);
  if (now.exists !== basis.exists || now.version !== basis.version)
    throw new ExclusionConflictError(parameterName, basis.version, now.version);
  try {
    const out = await ssm.send(
      new PutParameterCommand({
        Name: parameterName,
        Value: request.value,
        Type: 'String',
        Overwrite: basis.exists,
        ...(basis.exists
          ? {}
          : {
              Description:
                'IAM users excluded from the unused-credentials rule (comma-separated names or UserIds); managed by iam-unused exclusions',
            }),
        ...(request.advancedTier ? { Tier: 'Advanced' as const } : {}),
      }),
    );
    return out.Version;
  } catch (error) {
    if (isAwsError(error, 'ParameterAlreadyExists'))
      throw new ExclusionConflictError(parameterName, undefined, undefined);
    throw error;
  }
}
