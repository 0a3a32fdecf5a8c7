import type { Mode } from '../../lib/terminal/options';
import { printable, table } from '../../lib/terminal/output';
import { SCHEMA_VERSION } from '../../verdicts/user-verdict';
import { lastRunCell } from './heartbeat';
import {
  type AccountStatus,
  lastError,
  lastEvaluation,
  type RemediationState,
  remediationSummary,
} from './model';
import { type RolloutSection, rolloutSectionJson } from './reconciler';

/** `iam-unused status` as a table (with the problems and notes below it) or as JSON. */

export function renderStatusTable(rows: readonly AccountStatus[], mode: Mode): string {
  return (
    table(
      [
        'ACCOUNT',
        'NAME',
        mode === 'organization' ? 'STACKSET' : 'STACK',
        'PACK',
        'LAST EVALUATION',
        'LAST ERROR',
        'REMEDIATION',
        'LAST RUN (HEARTBEAT)',
        'HEALTH',
      ],
      rows.map((r) => [
        r.accountId,
        r.accountName,
        r.evaluator.summary,
        r.pack.summary,
        lastEvaluation(r.rule),
        lastError(r.rule),
        remediationSummary(r.remediation),
        lastRunCell(r.heartbeat),
        healthCell(r),
      ]),
    ) + healthDetails(rows)
  );
}

/** Short in the table; the full problems and notes follow it, one per line, so the table stays narrow. */
function healthCell(r: AccountStatus): string {
  if (!r.health.healthy) return `NOT HEALTHY (${r.health.problems.length})`;
  return r.health.note ? 'ok (see note)' : 'ok';
}

function healthDetails(rows: readonly AccountStatus[]): string {
  const label = (r: AccountStatus) => (r.accountName ? `${r.accountId} ${r.accountName}` : r.accountId);
  const problems = rows
    .filter((r) => !r.health.healthy)
    .map((r) => `${label(r)}\n${r.health.problems.map((p) => `  - ${p}`).join('\n')}`);
  // Notes also for unhealthy rows: an excluded account's problem reads differently once its exclusion is known.
  const notes = rows.flatMap((r) => (r.health.note ? [`${label(r)}: ${r.health.note}`] : []));
  let out = '';
  if (problems.length > 0) out += `\nProblems\n${problems.join('\n')}\n`;
  if (notes.length > 0) out += `\nNotes\n${notes.join('\n')}\n`;
  // Problems quote AWS messages (pack, StackSet, runbook step errors): never raw to the terminal.
  return printable(out);
}

function remediationJson(state: RemediationState): unknown {
  if (state.kind !== 'found') return state;
  const { newestFailure, ...counts } = state.facts;
  return {
    kind: 'found',
    ...counts,
    newestFailure: newestFailure
      ? {
          resourceId: newestFailure.resourceId,
          at: newestFailure.at?.toISOString() ?? null,
          step: newestFailure.step ?? null,
          message: newestFailure.message ?? null,
        }
      : null,
  };
}

/**
 * The `--output json` document (schemas/status.schema.json): the rows, and in organization mode
 * the reconciler's view (pause, uncovered accounts).
 */
export function statusJson(rows: readonly AccountStatus[], rollout?: RolloutSection): unknown {
  return {
    schemaVersion: SCHEMA_VERSION,
    accounts: rows.map(rowJson),
    rollout: rollout ? rolloutSectionJson(rollout) : null,
  };
}

function rowJson(r: AccountStatus): unknown {
  return {
    accountId: r.accountId,
    accountName: r.accountName,
    ...(r.scope ? { scope: r.scope } : {}),
    evaluator: r.evaluator,
    pack: r.pack,
    rule:
      r.rule.kind === 'found'
        ? {
            kind: 'found',
            ruleName: r.rule.facts.ruleName,
            lastSuccessfulEvaluation: r.rule.facts.lastSuccessfulEvaluation?.toISOString() ?? null,
            lastFailedEvaluation: r.rule.facts.lastFailedEvaluation?.toISOString() ?? null,
            lastError: lastError(r.rule) === '-' ? null : lastError(r.rule),
          }
        : r.rule,
    remediation: remediationJson(r.remediation),
    heartbeat: r.heartbeat,
    healthy: r.health.healthy,
    problems: r.health.problems,
    ...(r.health.note ? { note: r.health.note } : {}),
  };
}
