/**
 * `npm run bench [-- --json] [-- --users 100,1000]`: both facts strategies, through the real
 * handler, against synthetic accounts served from memory. Prints IAM calls by operation,
 * PutEvaluations calls, calls per user, CPU time, peak RSS and the report-first / per-user ratio;
 * at 10,000 users also what Config bills (bench-cost.ts) and the peak RSS at 10,000 and 50,000; checks
 * that both strategies give the live account's verdicts on every user (with a 3-hour-old report
 * the account moved on from) and that the targets hold. Exit code 1 when either fails.
 */

import { buildAccount, MIXES, type Mix, type SyntheticAccount } from './accounts';
import { costSection, MEMORY_SIZES, memorySection, type BenchTarget as Target, target } from './bench-cost';
import { countCandidates } from './candidates';
import { reportTargetFailures, simulateReportAtScale } from './report-targets';
import { compareVerdicts, type RunResult, runStrategy, STRATEGIES, truthVerdicts } from './run';

// The SDK's Node-version notice would be the only line on stderr; the clients are built later.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const MAX_AGE_DAYS = 90;
const NOW = new Date('2025-06-01T12:00:00Z');
const DEFAULT_SIZES = [100, 1000, 10_000];
const TARGET_SIZE = 10_000;

interface JsonRun {
  users: number;
  mix: Mix;
  strategy: string;
  iamCalls: number;
  iamCallsByOperation: Readonly<Record<string, number>>;
  putEvaluationsCalls: number;
  configCalls: number;
  peakRssMb: number;
  callsPerUser: number;
  cpuMs: number;
  candidates: number;
  verdictsIdentical: boolean;
  reportFirst?: unknown;
}

function parseArgs(argv: readonly string[]): { json: boolean; sizes: number[] } {
  let json = false;
  let sizes = DEFAULT_SIZES;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--users') {
      const value = argv[++i] ?? '';
      sizes = value.split(',').map((v) => Number(v));
      if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
        throw new Error(`--users takes comma-separated positive integers, got ${JSON.stringify(value)}`);
      }
    } else throw new Error(`unknown option ${arg}; use --json and/or --users 100,1000`);
  }
  return { json, sizes };
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

async function main(): Promise<number> {
  const { json, sizes } = parseArgs(process.argv.slice(2));
  const runs: JsonRun[] = [];
  const ratios: { users: number; mix: Mix; iamCalls: number; cpuMs: number }[] = [];
  const targets: Target[] = [];
  const problems: string[] = [];
  const text: string[] = [];
  const started = Date.now();
  let costAccount: SyntheticAccount | undefined;

  for (const users of sizes) {
    for (const [mixIndex, mix] of MIXES.entries()) {
      const account: SyntheticAccount = buildAccount({
        users,
        mix,
        seed: users * 7919 + mixIndex,
        now: NOW,
        maxAgeDays: MAX_AGE_DAYS,
        reportAgeHours: 3,
      });
      if (users === TARGET_SIZE && mix === 'steady') costAccount = account;
      const truth = truthVerdicts(account, MAX_AGE_DAYS);
      const candidates = countCandidates(account, MAX_AGE_DAYS);
      // The report is usually reused (COMPLETE at once); a first run waits for a new one.
      const generateStates =
        mix === 'backlog' ? (['STARTED', 'INPROGRESS', 'COMPLETE'] as const) : (['COMPLETE'] as const);
      const results: RunResult[] = [];
      for (const strategy of STRATEGIES) {
        const result = await runStrategy(account, strategy, { maxAgeDays: MAX_AGE_DAYS, generateStates });
        const diffs = compareVerdicts(truth, result.verdicts);
        const putMismatch = result.evaluations.filter(
          (e) => result.verdicts.get(e.resourceId)?.compliance !== e.compliance,
        );
        if (diffs.length > 0)
          problems.push(
            `${users}/${mix}/${strategy}: verdicts differ from the live account: ${diffs.join('; ')}`,
          );
        if (putMismatch.length > 0)
          problems.push(
            `${users}/${mix}/${strategy}: ${putMismatch.length} evaluations put differ from the verdicts`,
          );
        results.push(result);
        runs.push({
          users: result.usersEvaluated,
          mix,
          strategy,
          iamCalls: result.iamCalls,
          iamCallsByOperation: result.iamCallsByOperation,
          putEvaluationsCalls: result.putEvaluationsCalls,
          configCalls: result.configCalls,
          peakRssMb: result.peakRssMb,
          callsPerUser: round(result.iamCalls / result.usersEvaluated),
          cpuMs: round(result.cpuMs, 1),
          candidates,
          verdictsIdentical: diffs.length === 0 && putMismatch.length === 0,
          ...(result.reportFirst ? { reportFirst: result.reportFirst } : {}),
        });
      }
      const [perUser, reportFirst] = results as [RunResult, RunResult];
      const n = reportFirst.usersEvaluated;
      ratios.push({
        users,
        mix,
        iamCalls: round(reportFirst.iamCalls / perUser.iamCalls, 4),
        cpuMs: round(reportFirst.cpuMs / perUser.cpuMs, 3),
      });
      const expectedPuts = Math.ceil(n / 100);
      for (const r of results) {
        if (r.putEvaluationsCalls !== expectedPuts) {
          problems.push(
            `${users}/${mix}/${r.strategy}: ${r.putEvaluationsCalls} PutEvaluations calls, expected ceil(${n}/100) = ${expectedPuts}`,
          );
        }
      }
      if (users === TARGET_SIZE) {
        const perUserCalls = reportFirst.iamCalls / n;
        if (mix === 'steady') targets.push(target(`${users}/steady IAM calls per user`, perUserCalls, 0.05));
        else {
          targets.push(target(`${users}/backlog IAM calls per user`, perUserCalls, 0.3));
          targets.push(
            target(
              `${users}/backlog IAM calls <= ceil(N/1000)+10+1.5*candidates (${candidates})`,
              reportFirst.iamCalls,
              Math.ceil(n / 1000) + 10 + 1.5 * candidates,
            ),
          );
        }
        targets.push(target(`${users}/${mix} report-first CPU ms`, reportFirst.cpuMs, 2000));
      }
      text.push(describe(users, mix, candidates, account, perUser, reportFirst));
    }
  }
  let cost: unknown;
  let memory: unknown;
  if (costAccount) {
    const c = await costSection(costAccount, MAX_AGE_DAYS);
    const m = memorySection(MEMORY_SIZES);
    cost = c.cost;
    memory = m.memory;
    targets.push(...c.targets, ...m.targets);
    problems.push(...c.problems, ...m.problems);
    text.push(...c.text, ...m.text);
  }
  // `iam-unused report` over 1,000 accounts x 100 users against a rate-limited aggregator.
  const reportScale = await simulateReportAtScale();
  const report = {
    accounts: reportScale.accounts,
    usersPerAccount: reportScale.usersPerAccount,
    aggregatorCalls: reportScale.aggregatorCalls,
    simulatedSeconds: reportScale.simulatedSeconds,
  };
  problems.push(...reportTargetFailures(reportScale));
  text.push(
    `== report: ${report.accounts} accounts x ${report.usersPerAccount} users: ${report.aggregatorCalls} aggregator calls ` +
      `(limit ${reportScale.aggregatorCallsBound}), ${report.simulatedSeconds} s simulated (limit 120), ${reportScale.throttled} throttled`,
  );
  for (const t of targets)
    if (!t.ok) problems.push(`target missed: ${t.name}: ${round(t.value)} > ${round(t.limit)}`);
  const verdictsIdentical = runs.every((r) => r.verdictsIdentical);

  if (json) {
    process.stdout.write(
      `${JSON.stringify({ maxAgeDays: MAX_AGE_DAYS, reportAgeHours: 3, runs, ratios, verdictsIdentical, cost, memory, report, targets, problems })}\n`,
    );
  } else {
    process.stdout.write(`${text.join('\n')}\n`);
    process.stdout.write(`Targets (${TARGET_SIZE} users):\n`);
    for (const t of targets)
      process.stdout.write(
        `  ${t.ok ? 'ok  ' : 'MISS'} ${t.name}: ${round(t.value)} (limit ${round(t.limit)})\n`,
      );
    process.stdout.write(`Verdicts identical on every user: ${verdictsIdentical}\n`);
    process.stdout.write(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  for (const p of problems) process.stderr.write(`bench: ${p}\n`);
  return problems.length === 0 ? 0 : 1;
}

function describe(
  users: number,
  mix: Mix,
  candidates: number,
  account: SyntheticAccount,
  perUser: RunResult,
  reportFirst: RunResult,
): string {
  const changed = Object.entries(account.changes)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    `== ${users} users, ${mix} (report 3 h old; since: ${changed}; ${candidates} candidate credentials)`,
  ];
  for (const r of [perUser, reportFirst]) {
    const ops = Object.entries(r.iamCallsByOperation)
      .map(([op, count]) => `${op} ${count}`)
      .join(', ');
    lines.push(
      `  ${r.strategy.padEnd(12)} IAM ${String(r.iamCalls).padStart(6)} (${(r.iamCalls / r.usersEvaluated).toFixed(3)}/user)  ` +
        `PutEvaluations ${r.putEvaluationsCalls}  CPU ${r.cpuMs.toFixed(0)} ms  [${ops}]`,
    );
  }
  lines.push(
    `  ratio report-first/per-user: IAM calls ${(reportFirst.iamCalls / perUser.iamCalls).toFixed(4)}, CPU ${(reportFirst.cpuMs / perUser.cpuMs).toFixed(2)}`,
  );
  return lines.join('\n');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
