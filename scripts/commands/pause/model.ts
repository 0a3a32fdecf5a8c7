import {
  PAUSE_PARAMETER_NAME,
  type PauseRecord,
  RECONCILER_FUNCTION_NAME,
} from '../../../infra/rollout/contract';
import type { RolloutView } from './state';

/**
 * Pure: what `pause`/`resume` would write, and the pause as `status` and `report` show it. The
 * pause takes effect when the reconciler's next accepted put carries it (AppliedRecord.paused).
 */

export type PauseEffect = 'in-effect' | 'pending';

export interface PauseState {
  readonly paused: boolean;
  /** Whether the organization pack, as last put, carries the same pause state. */
  readonly effect: PauseEffect;
  /** One line for people: status, report. */
  readonly line: string;
}

function who(record: PauseRecord): string {
  return [
    record.at ? ` since ${record.at}` : '',
    record.by ? ` by ${record.by}` : '',
    record.reason ? `: ${record.reason}` : '',
  ].join('');
}

/** Put after the pause was written (or its time unknown) and carrying the same state. */
function effectOf(view: RolloutView): PauseEffect {
  const applied = view.applied;
  if (applied === undefined) return view.pause.paused ? 'pending' : 'in-effect';
  if (applied.paused !== view.pause.paused) return 'pending';
  if (view.pause.at === undefined) return 'in-effect';
  return Date.parse(applied.putAt) >= Date.parse(view.pause.at) ? 'in-effect' : 'pending';
}

export function pauseState(view: RolloutView): PauseState {
  const effect = effectOf(view);
  const warning = view.pauseWarning ? ` (${view.pauseWarning})` : '';
  if (view.pause.paused) {
    const tail =
      effect === 'in-effect'
        ? `; in effect: the pack was re-put with automatic remediation off at ${view.applied?.putAt} (each account once its pack shows UPDATE_SUCCESSFUL; failing accounts are listed as not covered)`
        : `; not in effect yet: the reconciler has not re-put the pack since (see /aws/lambda/${RECONCILER_FUNCTION_NAME})`;
    return { paused: true, effect, line: `Revocation PAUSED${who(view.pause)}${tail}${warning}` };
  }
  if (effect === 'pending') {
    return {
      paused: false,
      effect,
      line: `Revocation resumed${who(view.pause)}; not in effect yet: the pack still has automatic remediation off until the reconciler re-puts it`,
    };
  }
  return { paused: false, effect, line: 'Revocation active (not paused)' };
}

export interface PauseRequest {
  readonly paused: boolean;
  readonly by: string;
  readonly reason?: string;
  readonly at: string;
}

export interface PausePlan {
  /** What to write; undefined when the parameter already says so. */
  readonly write?: PauseRecord;
  readonly summary: string;
}

export function planPause(view: RolloutView, request: PauseRequest): PausePlan {
  const verb = request.paused ? 'paused' : 'not paused';
  // A malformed value reads as paused but says nothing: rewrite it either way.
  if (view.pauseWarning === undefined && view.pause.paused === request.paused) {
    return { summary: `${PAUSE_PARAMETER_NAME} already says ${verb}${who(view.pause)}: nothing to write` };
  }
  const write: PauseRecord = {
    paused: request.paused,
    by: request.by,
    ...(request.reason === undefined ? {} : { reason: request.reason }),
    at: request.at,
  };
  return {
    write,
    summary: `${PAUSE_PARAMETER_NAME}: ${view.pause.paused ? 'paused' : 'not paused'} now -> ${JSON.stringify(write)}`,
  };
}
