import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { errorMessage, errorName } from '../error-text';
import { ExclusionListUnavailableError } from '../errors';
import { ExclusionList, NO_EXCLUSIONS_VALUE } from '../exclusions';
import { type Logger, logJson } from '../observability';

/**
 * The exclusion parameter does not exist. Not "nobody is excluded": a deleted list must never
 * widen revocation, so the run sends no evaluation at all and fails (ERROR line, metric, alarm).
 */
export class ExclusionListMissingError extends ExclusionListUnavailableError {
  constructor(readonly parameterName: string) {
    super(
      `The exclusion list parameter ${parameterName} does not exist, so no evaluation was sent: without the list ` +
        'an excluded user could be reported NON_COMPLIANT and revoked. Restore it (`iam-unused exclusions restore`), ' +
        `or, if this account really excludes nobody, create it with the value "${NO_EXCLUSIONS_VALUE}" ` +
        '(`iam-unused exclusions sync`).',
    );
  }
}

/** The list, and the parameter version it was read from (the heartbeat and the check report it). */
export interface ExclusionListRead {
  readonly list: ExclusionList;
  readonly parameterName: string;
  /** SSM parameter version; undefined only if SSM did not return one. */
  readonly version: number | undefined;
}

/**
 * Reads and parses the account's exclusion list from its SSM parameter.
 * - ParameterNotFound: ExclusionListMissingError (an account that wants no exclusions stores
 *   NO_EXCLUSIONS_VALUE instead).
 * - Any other error: ExclusionListUnavailableError. Evaluating without the list could report an
 *   excluded user NON_COMPLIANT, and the remediation would then revoke them.
 * - A malformed entry: InvalidExclusionListError from ExclusionList.parse, for the same reason.
 */
export async function readExclusionParameter(
  ssm: SSMClient,
  parameterName: string,
  logger: Logger,
): Promise<ExclusionListRead> {
  const source = `SSM parameter ${parameterName}`;
  let value: string | undefined;
  let version: number | undefined;
  try {
    const output = await ssm.send(new GetParameterCommand({ Name: parameterName }));
    value = output.Parameter?.Value;
    version = output.Parameter?.Version;
  } catch (cause) {
    if (errorName(cause) === 'ParameterNotFound') throw new ExclusionListMissingError(parameterName);
    throw new ExclusionListUnavailableError(
      `Could not read the exclusion list from ${source} (${errorName(cause)}: ` +
        `${errorMessage(cause)}); no evaluations were put. ` +
        "Check that the evaluator's role may call ssm:GetParameter on this parameter and that the parameter name is right.",
      { cause },
    );
  }
  if (value === undefined) {
    throw new ExclusionListUnavailableError(
      `${source} returned no value; no evaluations were put. Re-create the parameter with a list of user names or UserIds, ` +
        `or "${NO_EXCLUSIONS_VALUE}".`,
    );
  }
  const list = ExclusionList.parse(value, source);
  logJson(logger, 'INFO', 'exclusion list read', { parameterName, version, entries: list.size });
  return { list, parameterName, version };
}

/** The list alone (the periodic run's view). */
export async function readExclusionList(
  ssm: SSMClient,
  parameterName: string,
  logger: Logger,
): Promise<ExclusionList> {
  return (await readExclusionParameter(ssm, parameterName, logger)).list;
}
