import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { errorMessage } from '../../../evaluator/error-text';
import { HEARTBEAT_PARAMETER_NAME, parseHeartbeat } from '../../../evaluator/heartbeat';
import { describeFailure, isAwsError } from '../../lib/aws/errors';
import type { HeartbeatState } from './heartbeat';

/** Reads the evaluator's heartbeat in the account `ssm` acts in; every failure becomes that row's state. */
export async function readHeartbeatState(ssm: SSMClient): Promise<HeartbeatState> {
  let value: string | undefined;
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: HEARTBEAT_PARAMETER_NAME }));
    value = out.Parameter?.Value;
  } catch (error) {
    if (isAwsError(error, 'ParameterNotFound')) return { kind: 'missing' };
    return { kind: 'unreadable', error: describeFailure(error) };
  }
  if (value === undefined) return { kind: 'unreadable', error: 'GetParameter returned no value' };
  try {
    return { kind: 'found', heartbeat: parseHeartbeat(value) };
  } catch (error) {
    return { kind: 'unreadable', error: errorMessage(error) };
  }
}
