import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AccountRecord } from '../../../infra/rollout/contract';
import { ROLLOUT_PARAMETER_PATH } from '../../../infra/rollout/contract';
import { describeFailure } from '../../lib/aws/errors';
import { printable, table } from '../../lib/terminal/output';
import { type PauseState, pauseState } from '../pause/model';
import { type RolloutView, readRolloutView } from '../pause/state';

/**
 * `status`, organization mode: the pause and the accounts the reconciler reports not covered
 * (its records under ROLLOUT_PARAMETER_PATH), each with the AWS error, since when and the fix.
 */

export type RolloutSection =
  | { readonly kind: 'read'; readonly view: RolloutView; readonly pause: PauseState }
  | { readonly kind: 'unreadable'; readonly error: string };

/** An unreadable state is shown as such (and fails the run), never taken for "nothing failing". */
export async function readRolloutSection(ssm: SSMClient): Promise<RolloutSection> {
  try {
    const view = await readRolloutView(ssm);
    return { kind: 'read', view, pause: pauseState(view) };
  } catch (error) {
    return { kind: 'unreadable', error: describeFailure(error) };
  }
}

/** Accounts that count against the exit code: every record, or one when nothing could be read. */
export function rolloutProblems(section: RolloutSection): number {
  return section.kind === 'read' ? section.view.records.length : 1;
}

function hoursSince(since: string, now: Date): string {
  const hours = Math.floor((now.getTime() - Date.parse(since)) / 3_600_000);
  return Number.isFinite(hours) ? `${Math.max(0, hours)}h` : '?';
}

function awsError(r: AccountRecord): string {
  return [r.errorCode, r.errorMessage].filter(Boolean).join(': ') || '-';
}

export function renderRolloutSection(section: RolloutSection, now: Date): string {
  let out = `\nRollout (reconciler state under ${ROLLOUT_PARAMETER_PATH})\n`;
  if (section.kind === 'unreadable') return printable(`${out}unreadable: ${section.error}\n`);
  const { view, pause } = section;
  out += `${pause.line}\n`;
  if (view.applied === undefined && view.records.length === 0) {
    out += 'The reconciler has recorded nothing here yet: not deployed, or not the home region (--region).\n';
  }
  if (view.records.length === 0) return printable(out);
  out += `\nAccounts the reconciler reports not covered (${view.records.length})\n`;
  out += table(
    ['ACCOUNT', 'CONDITION', 'SINCE', 'FOR', 'ALARM', 'STACKSET', 'PACK', 'ATTEMPTS', 'NEXT RETRY'],
    view.records.map((r) => [
      r.accountId,
      r.condition,
      r.since,
      hoursSince(r.since, now),
      r.alarming ? 'ALARM' : 'no',
      r.stackInstanceStatus ?? '-',
      r.packStatus ?? '-',
      String(r.attempts),
      r.nextAttemptAt ?? 'none (fix first)',
    ]),
  );
  out += view.records
    .map((r) => `${r.accountId}\n  - AWS error: ${awsError(r)}\n  - fix: ${r.fix}\n`)
    .join('');
  return printable(out);
}

export function rolloutSectionJson(section: RolloutSection): unknown {
  if (section.kind === 'unreadable') return { readable: false, error: section.error };
  const { view, pause } = section;
  return {
    readable: true,
    paused: pause.paused,
    pauseEffect: pause.effect,
    pause: view.pauseWritten ? view.pause : null,
    pauseWarning: view.pauseWarning ?? null,
    applied: view.applied ?? null,
    uncoveredAccounts: view.records.map((r) => ({
      ...r,
      awsError: awsError(r) === '-' ? null : awsError(r),
    })),
  };
}
