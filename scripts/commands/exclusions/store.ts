import {
  GetParameterCommand,
  type ParameterType,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { IamUnusedError } from '../../../evaluator/errors';
import { NO_EXCLUSIONS_VALUE, splitExclusionValue } from '../../../evaluator/exclusions';
import { isAwsError } from '../../lib/aws/errors';
import { byteLength, isWritableEntry, STANDARD_TIER_MAX_BYTES } from './plan';

/** The exclusion parameter as read, with the Version that later writes compare against. */
export interface StoredExclusions {
  readonly exists: boolean;
  /** SSM parameter version; undefined when the parameter does not exist. */
  readonly version?: number;
  /** String or StringList (both read the same way); a write keeps it. */
  readonly type?: ParameterType;
  readonly entries: readonly string[];
  /** Entries the evaluator would refuse (someone edited the parameter by hand). */
  readonly invalid: readonly string[];
  /** Why the parameter cannot be read or written as an exclusion list at all (a SecureString). */
  readonly unusable?: string;
}

/** Someone else changed the parameter between our read and our write: we did not overwrite it. */
export class ExclusionConflictError extends IamUnusedError {
  constructor(
    readonly parameterName: string,
    readonly expected: number | undefined,
    readonly found: number | 'created' | undefined,
  ) {
    const v = (n: number | 'created' | undefined) =>
      n === 'created' ? 'created by someone else' : n === undefined ? 'absent' : `version ${n}`;
    super(
      `${parameterName} changed since it was read (${v(expected)} then, ${v(found)} now); not overwritten. ` +
        'Rerun to see the current list and plan again.',
    );
  }
}

/** The parameter read or write was denied: most often the CLI's parameter name is not the deployment's. */
export class ExclusionParameterDeniedError extends IamUnusedError {}

function denied(error: unknown, parameterName: string): unknown {
  if (!isAwsError(error, 'AccessDeniedException', 'AccessDenied')) return error;
  return new ExclusionParameterDeniedError(
    `${(error as Error).name}: ${(error as Error).message}. The exclusions role may only use the parameter the ` +
      `deployment configured (setting exclusionParameterName); if that is not ${parameterName}, pass --parameter-name with it.`,
    { cause: error },
  );
}

/**
 * The evaluator reads the parameter without decryption, so a SecureString reaches it as
 * ciphertext and the rule fails closed; its value says nothing about the list either.
 */
function secureStringProblem(parameterName: string): string {
  return (
    `${parameterName} is a SecureString: the evaluator reads it without decryption and fails closed. ` +
    'Do not delete it: a missing list also stops every run. SSM cannot change the type of a parameter, so ' +
    `replace it in one step: aws ssm delete-parameter --name ${parameterName} && aws ssm put-parameter --name ` +
    `${parameterName} --type String --value '<the names, comma-separated, or ${NO_EXCLUSIONS_VALUE}>' (a run in between fails closed and revokes nobody), then check it with "exclusions list".`
  );
}

export async function readExclusions(ssm: SSMClient, parameterName: string): Promise<StoredExclusions> {
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: parameterName }));
    const version = out.Parameter?.Version === undefined ? {} : { version: out.Parameter.Version };
    const type = out.Parameter?.Type;
    if (type === 'SecureString')
      return {
        exists: true,
        ...version,
        type,
        entries: [],
        invalid: [],
        unusable: secureStringProblem(parameterName),
      };
    const entries = splitExclusionValue(out.Parameter?.Value ?? '');
    return {
      exists: true,
      ...version,
      ...(type === undefined ? {} : { type }),
      entries,
      invalid: entries.filter((e) => !isWritableEntry(e)),
    };
  } catch (error) {
    if (isAwsError(error, 'ParameterNotFound')) return { exists: false, entries: [], invalid: [] };
    throw denied(error, parameterName);
  }
}

export interface WriteRequest {
  readonly parameterName: string;
  /** What the plan was made from: the write goes ahead only if the parameter is still at this version. */
  readonly basis: StoredExclusions;
  readonly value: string;
  /** --advanced-tier: a value over the standard-tier limit may be stored as an advanced parameter. */
  readonly advancedTier: boolean;
}

export interface WriteResult {
  /** The version now holding our list. */
  readonly version?: number;
  /**
   * Versions someone else wrote between our last check and our PutParameter, which our write
   * replaced (SSM has no conditional put); empty when the write followed the version we read.
   */
  readonly overwritten: readonly number[];
}

/**
 * Writes the list unless the parameter moved since `basis` was read. SSM has no conditional
 * put, so this re-reads the version right before writing; creation uses Overwrite=false, which
 * SSM refuses if the parameter appeared meanwhile. A write landing in the small window between
 * that re-read and PutParameter is detected afterwards (the new version skips numbers) and
 * returned in `overwritten`; the parameter history still holds it.
 */
export async function writeExclusions(ssm: SSMClient, request: WriteRequest): Promise<WriteResult> {
  const { parameterName, basis } = request;
  if (basis.unusable) throw new IamUnusedError(basis.unusable);
  const now = await readExclusions(ssm, parameterName);
  if (now.exists !== basis.exists || now.version !== basis.version)
    throw new ExclusionConflictError(parameterName, basis.version, now.version);
  let version: number | undefined;
  try {
    const out = await ssm.send(
      new PutParameterCommand({
        Name: parameterName,
        Value: request.value,
        // An update keeps the parameter's type (SSM refuses to change it): String or StringList.
        ...(basis.exists ? (basis.type === undefined ? {} : { Type: basis.type }) : { Type: 'String' }),
        Overwrite: basis.exists,
        ...(basis.exists
          ? {}
          : {
              Description:
                'IAM users excluded from the unused-credentials rule (comma-separated names or UserIds); managed by iam-unused exclusions',
            }),
        // Only a list that needs it becomes advanced: advanced parameters are charged and can
        // never be turned back into standard ones.
        ...(request.advancedTier && byteLength(request.value) > STANDARD_TIER_MAX_BYTES
          ? { Tier: 'Advanced' as const }
          : {}),
      }),
    );
    version = out.Version;
  } catch (error) {
    if (isAwsError(error, 'ParameterAlreadyExists'))
      throw new ExclusionConflictError(parameterName, undefined, 'created');
    throw denied(error, parameterName);
  }
  const expected = (basis.version ?? 0) + 1;
  const overwritten: number[] = [];
  if (version !== undefined) for (let v = expected; v < version; v++) overwritten.push(v);
  return { ...(version === undefined ? {} : { version }), overwritten };
}
