import {
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { errorText } from '../error-text';
import { IamUnusedError } from '../errors';

/**
 * The only state warnings keep: in each account, the instant of the last run whose warnings were
 * all delivered. One String parameter in the standard tier (free, 4 KB, one write per run).
 * Not under the exclusion list's name: the re-evaluate rule listens to that one only.
 */
export const WARNING_STATE_PARAMETER_NAME = '/iam-unused-user-cleanup/warnings-last-delivered';

export type LastDelivered =
  | { readonly kind: 'found'; readonly at: Date }
  | { readonly kind: 'absent' }
  /** Not an ISO instant (hand edit): treated as absent, which repeats at most one warning each. */
  | { readonly kind: 'invalid'; readonly value: string };

/** Reads the instant. ParameterNotFound is a first run, not a failure; anything else throws. */
export async function readLastDelivered(ssm: SSMClient, name: string): Promise<LastDelivered> {
  let value: string | undefined;
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: name }));
    value = out.Parameter?.Value;
  } catch (error) {
    if (error instanceof ParameterNotFound) return { kind: 'absent' };
    throw new WarningStateError(
      `Reading the warnings' last delivery from SSM parameter ${name} failed (${errorText(error)}); ` +
        'no warning is sent this run, the next run retries. Check the evaluator role allows ssm:GetParameter on it.',
      { cause: error },
    );
  }
  const at = value === undefined ? undefined : new Date(value);
  if (at === undefined || !/^\d{4}-\d\d-\d\dT/.test(value ?? '') || Number.isNaN(at.getTime())) {
    return { kind: 'invalid', value: value ?? '' };
  }
  return { kind: 'found', at };
}

export async function writeLastDelivered(ssm: SSMClient, name: string, at: Date): Promise<void> {
  try {
    await ssm.send(
      new PutParameterCommand({
        Name: name,
        Value: at.toISOString(),
        Type: 'String',
        Overwrite: true,
        Description:
          'iam-unused-cleanup: last run whose revocation warnings were all delivered. Safe to delete.',
      }),
    );
  } catch (error) {
    throw new WarningStateError(
      `Recording the warnings' last delivery in SSM parameter ${name} failed (${errorText(error)}); ` +
        "the next run repeats this run's warnings once. Check the evaluator role allows ssm:PutParameter on it.",
      { cause: error },
    );
  }
}

/** The warnings' state parameter could not be read or written. */
export class WarningStateError extends IamUnusedError {}
