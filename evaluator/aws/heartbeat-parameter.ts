import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { errorMessage, errorName } from '../error-text';
import { IamUnusedError } from '../errors';
import { formatHeartbeat, HEARTBEAT_PARAMETER_NAME, type Heartbeat, parseHeartbeat } from '../heartbeat';
import { errorLogFields, type Logger, logJson } from '../observability';

/** The run could not leave its heartbeat: `status` would see the account as silent, so say so loudly. */
export class HeartbeatWriteError extends IamUnusedError {}

/**
 * Overwrites the heartbeat parameter (creating it on the first run). The evaluator is the only
 * writer; the SCP in docs/scp denies everyone else.
 */
export async function writeHeartbeat(ssm: SSMClient, heartbeat: Heartbeat): Promise<void> {
  try {
    await ssm.send(
      new PutParameterCommand({
        Name: HEARTBEAT_PARAMETER_NAME,
        Value: formatHeartbeat(heartbeat),
        Type: 'String',
        Tier: 'Standard',
        Overwrite: true,
      }),
    );
  } catch (cause) {
    throw new HeartbeatWriteError(
      `Could not write the heartbeat ${HEARTBEAT_PARAMETER_NAME} (${errorName(cause)}: ` +
        `${errorMessage(cause)}). The evaluations of this run were put, but ` +
        "`iam-unused status` will report the account as silent. Check that the evaluator's role may call " +
        'ssm:PutParameter on this parameter and that no SCP or permission boundary denies it.',
      { cause },
    );
  }
}

/**
 * The last successful run's time according to the previous heartbeat, for a failed run's own
 * heartbeat. Best effort: a failed run is already failing, so a problem here is logged and gives null.
 */
export async function previousLastOkTime(ssm: SSMClient, logger: Logger): Promise<string | null> {
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: HEARTBEAT_PARAMETER_NAME }));
    const value = out.Parameter?.Value;
    return value === undefined ? null : parseHeartbeat(value).lastOkTime;
  } catch (error) {
    if (errorName(error) !== 'ParameterNotFound') {
      logJson(logger, 'WARN', 'previous heartbeat unreadable: lastOkTime left empty', errorLogFields(error));
    }
    return null;
  }
}
