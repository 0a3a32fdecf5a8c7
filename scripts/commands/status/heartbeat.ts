import type { EvaluationFrequency } from '../../../conformance-pack/builder';
import { FREQUENCY_SECONDS } from '../../../conformance-pack/frequency';
import { EXCLUSIONS_ROLE_NAME } from '../../../conformance-pack/names';
import { HEARTBEAT_PARAMETER_NAME, type Heartbeat, isHeartbeatStale } from '../../../evaluator/heartbeat';

/**
 * Pure verdicts on the evaluator's heartbeat (contract: evaluator/heartbeat.ts). Config's own
 * evaluation status says nothing about a custom Lambda rule whose function was silenced
 * (reserved concurrency 0, a disabled event rule, code that answers COMPLIANT): only the
 * heartbeat the evaluator writes at the end of every run shows that runs still happen.
 */

export type HeartbeatState =
  | { readonly kind: 'found'; readonly heartbeat: Heartbeat }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreadable'; readonly error: string }
  | { readonly kind: 'not-checked' };

/** Config's default when a periodic rule names no frequency. */
export const DEFAULT_FREQUENCY: EvaluationFrequency = 'TwentyFour_Hours';

function isFrequency(value: string | undefined): value is EvaluationFrequency {
  return value !== undefined && value in FREQUENCY_SECONDS;
}

/** The rule's MaximumExecutionFrequency as milliseconds; Config's default when absent or unknown. */
export function frequencyMs(frequency: string | undefined): number {
  return FREQUENCY_SECONDS[isFrequency(frequency) ? frequency : DEFAULT_FREQUENCY] * 1000;
}

const SILENCED_FIX =
  'evaluation may be switched off: check the evaluator function (reserved concurrency, code), its event rule and its logs; ' +
  'the SCP docs/scp/deny-member-tampering.json prevents this';

/** Problems for one account: a stale, failed, missing or unreadable heartbeat, and entries that protect nobody. */
export function heartbeatProblems(
  state: HeartbeatState,
  frequency: string | undefined,
  now: Date,
  accountId: string,
): string[] {
  const every = isFrequency(frequency) ? frequency : `${DEFAULT_FREQUENCY} (Config's default)`;
  switch (state.kind) {
    case 'not-checked':
      return [];
    case 'missing':
      return [
        `no heartbeat (${HEARTBEAT_PARAMETER_NAME}): no evaluator run has finished here, or the heartbeat was deleted; ${SILENCED_FIX}`,
      ];
    case 'unreadable':
      return [
        `heartbeat unreadable: ${state.error} (the ${EXCLUSIONS_ROLE_NAME} role needs ssm:GetParameter on ${HEARTBEAT_PARAMETER_NAME}: update the member stack)`,
      ];
    case 'found': {
      const hb = state.heartbeat;
      const problems: string[] = [];
      if (isHeartbeatStale(hb, frequencyMs(frequency), now))
        problems.push(
          `last successful run ${hb.lastOkTime ?? 'never'} is older than twice the rule frequency (${every}); ${SILENCED_FIX}`,
        );
      if (!hb.ok && hb.error)
        problems.push(
          `the last run (${hb.time}) failed: ${hb.error.name}: ${hb.error.message} (no evaluation was sent; see the evaluator logs)`,
        );
      if (hb.unmatchedCount > 0) {
        const more = hb.unmatchedCount - hb.unmatchedEntries.length;
        problems.push(
          `${hb.unmatchedCount} exclusion entr${hb.unmatchedCount === 1 ? 'y matches' : 'ies match'} no user and protect${hb.unmatchedCount === 1 ? 's' : ''} nobody: ` +
            `${hb.unmatchedEntries.join(', ')}${more > 0 ? ` and ${more} more` : ''}; fix a typo, or drop the entry: ` +
            `iam-unused exclusions remove --account ${accountId} <entry> --apply`,
        );
      }
      return problems;
    }
  }
}

/** "LAST RUN" column: when the last successful run ended, and whether the newest run failed. */
export function lastRunCell(state: HeartbeatState): string {
  switch (state.kind) {
    case 'found':
      return `${state.heartbeat.lastOkTime ?? 'never ok'}${state.heartbeat.ok ? '' : ' (last run failed)'}`;
    case 'missing':
      return 'no heartbeat';
    case 'unreadable':
      return 'unreadable';
    case 'not-checked':
      return '-';
  }
}
