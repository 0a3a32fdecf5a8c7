import { MS_PER_DAY } from '../../evaluator/decision';
import { parseVerdictState } from '../../evaluator/recorded-annotation';
import type { SyntheticAccount } from './accounts';
import { ConfigModel } from './config-model';
import { type RunResult, runStrategy, truthVerdicts, type VerdictKey } from './run';

/**
 * What the evaluator costs in Config: a first run (nothing recorded) and a second run a day later
 * with nothing changed in the account, both report-first through the real handler against one
 * in-memory Config; after each, what Config holds is checked against the live verdicts.
 */

/**
 * Config rule evaluations per month and region (public pricing page, docs/aws-behaviour.md):
 * $0.001 each for the first 100,000, $0.0008 up to 500,000, $0.0005 beyond.
 */
const PRICE_TIERS: readonly (readonly [upTo: number, dollars: number])[] = [
  [100_000, 0.001],
  [500_000, 0.0008],
  [Number.POSITIVE_INFINITY, 0.0005],
];
const RUNS_PER_MONTH = 30;

export function dollarsPerMonth(evaluations: number): number {
  let left = evaluations;
  let from = 0;
  let dollars = 0;
  for (const [upTo, price] of PRICE_TIERS) {
    const inTier = Math.min(left, upTo - from);
    dollars += inTier * price;
    left -= inTier;
    from = upTo;
  }
  return Math.round(dollars * 100) / 100;
}

export interface CostFigures {
  readonly users: number;
  readonly writtenFirstRun: number;
  readonly writtenSecondRun: number;
  /** Second run: GetComplianceDetailsByConfigRule calls. */
  readonly configReads: number;
  /** Second run. */
  readonly putEvaluationsCalls: number;
  /** Daily runs putting every user (before): N x 30 evaluations a month. */
  readonly dollarsPerMonthBefore: number;
  /** Daily runs putting what changed: 30 x the second run's evaluations a month. */
  readonly dollarsPerMonthAfter: number;
}

/** Differences between what Config holds and the verdicts (compliance and revoke set); gone users must be NOT_APPLICABLE. */
export function compareHeld(
  model: ConfigModel,
  truth: ReadonlyMap<string, VerdictKey>,
  limit = 10,
): string[] {
  const out: string[] = [];
  for (const [id, want] of truth) {
    const held = model.held.get(id);
    const state = parseVerdictState(held?.annotation)?.slice(1, -1).split(' ').slice(2) ?? [];
    const got = held && {
      compliance: held.compliance,
      password: state.includes('pw'),
      accessKeyIds: state.filter((s) => s !== 'pw'),
    };
    if (JSON.stringify(got) !== JSON.stringify(want))
      out.push(`${id}: Config holds ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
  for (const held of model.held.values()) {
    if (!truth.has(held.resourceId) && held.compliance !== 'NOT_APPLICABLE')
      out.push(`${held.resourceId}: gone, yet Config holds ${held.compliance}`);
  }
  return out.slice(0, limit);
}

export interface CostRun {
  readonly figures: CostFigures;
  readonly runs: readonly [RunResult, RunResult];
  /** Problems with what Config holds after each run (empty when right). */
  readonly problems: readonly string[];
}

export async function measureCost(account: SyntheticAccount, maxAgeDays: number): Promise<CostRun> {
  let now = account.now;
  const model = new ConfigModel(() => now);
  const problems: string[] = [];
  const first = await runStrategy(account, 'report-first', { maxAgeDays, config: model });
  problems.push(...compareHeld(model, truthVerdicts(account, maxAgeDays)).map((p) => `first run: ${p}`));
  now = new Date(account.now.getTime() + MS_PER_DAY);
  const second = await runStrategy(account, 'report-first', { maxAgeDays, config: model, at: now });
  problems.push(
    ...compareHeld(model, truthVerdicts(account, maxAgeDays, now)).map((p) => `second run: ${p}`),
  );
  const users = first.usersEvaluated;
  return {
    figures: {
      users,
      writtenFirstRun: first.evaluationsPut,
      writtenSecondRun: second.evaluationsPut,
      configReads: second.configReads,
      putEvaluationsCalls: second.putEvaluationsCalls,
      dollarsPerMonthBefore: dollarsPerMonth(users * RUNS_PER_MONTH),
      dollarsPerMonthAfter: dollarsPerMonth(second.evaluationsPut * RUNS_PER_MONTH),
    },
    runs: [first, second],
    problems,
  };
}
