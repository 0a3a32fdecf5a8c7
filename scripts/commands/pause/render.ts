import {
  APPLIED_PARAMETER_NAME,
  PAUSE_PARAMETER_NAME,
  RECONCILER_FUNCTION_NAME,
} from '../../../infra/rollout/contract';
import { printable } from '../../lib/terminal/output';
import type { PausePlan, PauseState } from './model';

/** What `pause`/`resume` did or would do, what happens next and how to check it. */

export interface PauseOutcome {
  readonly paused: boolean;
  readonly plan: PausePlan;
  readonly apply: boolean;
  /** Parameter version written; undefined when nothing was written. */
  readonly version?: number;
  readonly before: PauseState;
  /** False when the reconciler has never put the pack with these credentials and region. */
  readonly reconcilerSeen: boolean;
}

export function nextSteps(paused: boolean): string[] {
  return paused
    ? [
        'Within about a minute the parameter change (EventBridge "Parameter Store Change") starts the reconciler; it re-puts the organization pack with automatic remediation off (Automatic=false).',
        "AWS Config rolls that out to every member account, usually within minutes. Remediations already running finish; no new one starts. Evaluations go on: NON_COMPLIANT users are still reported. Not paused: the management account's own pack (organization+management-account mode): set remediationMode manual and redeploy it.",
      ]
    : [
        'Within about a minute the reconciler re-puts the organization pack with automatic remediation as deployed (remediationMode).',
        'With remediationMode automatic, NON_COMPLIANT users are remediated again at their next evaluation.',
      ];
}

export function verifySteps(paused: boolean): string[] {
  return [
    `iam-unused status   # "Revocation ${paused ? 'PAUSED' : 'active'} ... in effect" once the pack was re-put`,
    `aws ssm get-parameter --name ${APPLIED_PARAMETER_NAME}   # "paused": ${paused}, putAt after the write`,
    `aws logs tail /aws/lambda/${RECONCILER_FUNCTION_NAME} --since 15m   # the reconciler's put and its outcome`,
  ];
}

export function renderPause(o: PauseOutcome): string {
  const verb = o.paused ? 'pause' : 'resume';
  let out = `Now: ${o.before.line}\n${o.plan.summary}\n`;
  if (!o.reconcilerSeen) {
    out +=
      `\nWarning: no pack put by the reconciler is recorded here (${APPLIED_PARAMETER_NAME} is missing). ` +
      'Are these the delegated-admin credentials and the home region? A pause written elsewhere stops nothing.\n';
  }
  if (o.plan.write === undefined) return printable(out);
  if (!o.apply) return printable(`${out}\nRerun with --apply to ${verb}.\n`);
  out += `\nWrote ${PAUSE_PARAMETER_NAME} (version ${o.version ?? '?'}).\n\nWhat happens next:\n`;
  out += nextSteps(o.paused)
    .map((s, i) => `  ${i + 1}. ${s}\n`)
    .join('');
  out += '\nHow to verify:\n';
  out += verifySteps(o.paused)
    .map((s) => `  ${s}\n`)
    .join('');
  return printable(out);
}

export function pauseJson(o: PauseOutcome): unknown {
  const wrote = o.apply && o.plan.write !== undefined;
  return {
    parameter: PAUSE_PARAMETER_NAME,
    before: o.before,
    change: o.plan.write ?? null,
    written: wrote,
    version: o.version ?? null,
    reconcilerSeen: o.reconcilerSeen,
    next: wrote ? nextSteps(o.paused) : [],
    verify: wrote ? verifySteps(o.paused) : [],
  };
}
