import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { errorMessage, errorName } from '../error-text';
import { ExclusionListUnavailableError } from '../errors';
import { ExclusionList } from '../exclusions';
import { type Logger, logJson } from '../observability';

/**
 * Reads and parses the account's exclusion list from its SSM parameter.
 * - ParameterNotFound: nobody created a list yet, so nobody is excluded (logged).
 * - Any other error: ExclusionListUnavailableError. Evaluating without the list could report an
 *   excluded user NON_COMPLIANT, and the remediation would then revoke them.
 * - A malformed entry: InvalidExclusionListError from ExclusionList.parse, for the same reason.
 */
export async function readExclusionList(
  ssm: SSMClient,
  parameterName: string,
  logger: Logger,
): Promise<ExclusionList> {
  const source = `SSM parameter ${parameterName}`;
  let value: string | undefined;
  try {
    const output = await ssm.send(new GetParameterCommand({ Name: parameterName }));
    value = output.Parameter?.Value;
  } catch (cause) {
    if (errorName(cause) === 'ParameterNotFound') {
      logJson(logger, 'WARN', 'exclusion parameter not found: no user is excluded', {
        parameterName,
      });
      return ExclusionList.EMPTY;
    }
    throw new ExclusionListUnavailableError(
      `Could not read the exclusion list from ${source} (${errorName(cause)}: ` +
        `${errorMessage(cause)}); no evaluations were put. ` +
        "Check that the evaluator's role may call ssm:GetParameter on this parameter and that the parameter name is right.",
      { cause },
    );
  }
  if (value === undefined) {
    throw new ExclusionListUnavailableError(
      `${source} returned no value; no evaluations were put. Re-create the parameter with a list of user names or UserIds.`,
    );
  }
  const list = ExclusionList.parse(value, source);
  logJson(logger, 'INFO', 'exclusion list read', { parameterName, entries: list.size });
  return list;
}
