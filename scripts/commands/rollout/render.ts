import { table } from '../../lib/terminal/output';
import type { StepResult } from './apply';

/** The rollout's steps as a table, then what to do next. */
export function renderRollout(
  results: readonly StepResult[],
  run: {
    readonly blocked: boolean;
    readonly apply: boolean;
    readonly failed: boolean;
    readonly deploy: string | undefined;
    readonly delegatedAdmin: string | undefined;
  },
): string {
  let out = table(
    ['STEP', 'STATE', 'DETAIL'],
    results.map((r) => [r.title, r.outcome, r.error ? `${r.detail}: ${r.error}` : r.detail]),
  );
  if (run.blocked) out += '\nBlocked: resolve the steps marked "blocked", then rerun.\n';
  else if (!run.apply && results.some((r) => r.outcome === 'would do'))
    out += '\nRerun with --apply to make these changes.\n';
  if (run.deploy && !run.failed) {
    out += `\nThen deploy from the delegated-admin account (${run.delegatedAdmin}):\n  ${run.deploy}\n`;
  }
  return out;
}
