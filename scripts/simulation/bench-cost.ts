import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SyntheticAccount } from './accounts';
import { type CostFigures, measureCost } from './cost';

/**
 * The bench's cost and memory sections: what Config bills at 10,000 users (a first run and a
 * second run a day later), and the evaluator's peak RSS at 10,000 and 50,000 users, each in a
 * process of its own (scripts/simulation/memory.ts).
 */

export interface BenchTarget {
  readonly name: string;
  readonly value: number;
  readonly limit: number;
  readonly ok: boolean;
}

export function target(name: string, value: number, limit: number): BenchTarget {
  return { name, value, limit, ok: value <= limit };
}

export interface MemoryFigure {
  readonly users: number;
  readonly peakRssMb: number;
  readonly beforeRunRssMb: number;
  readonly seconds: number;
}

export const MEMORY_SIZES = [10_000, 50_000];
const MEMORY_LIMIT_MB = 512;
const WRITTEN_SECOND_RUN_LIMIT = 400;

export async function costSection(
  account: SyntheticAccount,
  maxAgeDays: number,
): Promise<{ cost: CostFigures; targets: BenchTarget[]; problems: string[]; text: string[] }> {
  const { figures: c, problems } = await measureCost(account, maxAgeDays);
  const n = c.users;
  const targets = [
    target(`${n} users: evaluations put by a second run`, c.writtenSecondRun, WRITTEN_SECOND_RUN_LIMIT),
    target(
      `${n} users: Config reads by a second run <= ceil(N/100)+5`,
      c.configReads,
      Math.ceil(n / 100) + 5,
    ),
    target(
      `${n} users: PutEvaluations calls by a second run <= 5+ceil(put/100)`,
      c.putEvaluationsCalls,
      5 + Math.ceil(c.writtenSecondRun / 100),
    ),
  ];
  const text = [
    `== Config cost, ${n} users (steady; report-first; second run a day later, nothing changed in IAM)`,
    `  first run puts ${c.writtenFirstRun}; second run puts ${c.writtenSecondRun} with ${c.configReads} Config reads and ${c.putEvaluationsCalls} PutEvaluations calls`,
    `  daily runs, per month: $${c.dollarsPerMonthBefore} putting every user, $${c.dollarsPerMonthAfter} putting what changed`,
  ];
  return {
    cost: c,
    targets,
    problems: problems.map((p) => `cost: Config holds the wrong verdict: ${p}`),
    text,
  };
}

/** Runs memory.ts in a child process (same Node and loader as the bench) for each size. */
export function memorySection(sizes: readonly number[]): {
  memory: MemoryFigure[];
  targets: BenchTarget[];
  problems: string[];
  text: string[];
} {
  const script = fileURLToPath(new URL('./memory.ts', import.meta.url));
  const memory: MemoryFigure[] = [];
  const problems: string[] = [];
  for (const users of sizes) {
    const child = spawnSync(process.execPath, [...process.execArgv, script, String(users)], {
      encoding: 'utf8',
      env: process.env,
    });
    if (child.status !== 0) {
      problems.push(`memory run at ${users} users failed (${child.status}): ${child.stderr.trim()}`);
      continue;
    }
    memory.push(JSON.parse(child.stdout) as MemoryFigure);
  }
  const largest = memory.at(-1);
  const targets =
    largest && largest.users >= 50_000
      ? [target(`${largest.users} users: evaluator peak RSS MB`, largest.peakRssMb, MEMORY_LIMIT_MB)]
      : [];
  const text = memory.map(
    (m) =>
      `== Memory, ${m.users} users (report-first, own process): peak RSS ${m.peakRssMb} MB ` +
      `(${m.beforeRunRssMb} MB before the run: Node, SDK and the in-memory account), ${m.seconds} s`,
  );
  return { memory, targets, problems, text };
}
