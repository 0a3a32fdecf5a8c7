import type { SSMClient } from '@aws-sdk/client-ssm';
import { describeFailure } from '../../lib/aws/errors';
import { pauseState } from './model';
import { RolloutStateReadError, readRolloutView } from './state';

/**
 * The pause as one line for `report` (organization mode): undefined while revocation runs as
 * deployed. A state that cannot be read is said, not taken for "not paused".
 */
export async function pauseNotice(ssm: SSMClient): Promise<string | undefined> {
  try {
    const state = pauseState(await readRolloutView(ssm));
    return state.paused || state.effect === 'pending' ? state.line : undefined;
  } catch (error) {
    const cause = error instanceof RolloutStateReadError ? error.cause : error;
    return `Pause state unknown (${describeFailure(cause)}); \`iam-unused status\` shows it with the fix`;
  }
}
