import { type SimulationReport, simulate, TARGET_DELAY_MINUTES } from './simulate';

/**
 * `npm run simulate`: 1,000 accounts plus 100 joining during the run, then 1,000 healthy accounts
 * for the quiet-period cost. Prints the figures and exits 1 when a target of issue 11 fails.
 */

function stats(values: readonly number[]): string {
  if (values.length === 0) return 'none';
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `min ${sorted[0]}, median ${median}, max ${sorted[sorted.length - 1]} over ${values.length} runs`;
}

function describe(title: string, r: SimulationReport): void {
  console.log(`== ${title}: ${r.accounts} accounts, ${r.eligible} eligible, ${r.runs} reconciler runs`);
  console.log(`  periods until every eligible first-day account is covered: ${r.periodsUntilInitialCovered}`);
  console.log(
    `  slowest eligible account: covered ${r.maxDelayMinutes} min after it was ready (target ≤ ${TARGET_DELAY_MINUTES})`,
  );
  console.log(`  AWS calls per scheduled run: ${stats(r.callsPerRun)}`);
  console.log(`  AWS calls per quiet run (nothing wrong): ${stats(r.quietRunCalls)}`);
  console.log(
    `  calls by operation: ${[...r.callsByOperation]
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(
    `  eligible left uncovered: ${r.uncoveredEligible.length}${r.uncoveredEligible.length ? ` (${r.uncoveredEligible.join(', ')})` : ''}`,
  );
  const groups = new Map<string, string[]>();
  for (const i of r.ineligible)
    groups.set(`${i.reason} (reconciler says: ${i.recorded ?? 'nothing'})`, [
      ...(groups.get(`${i.reason} (reconciler says: ${i.recorded ?? 'nothing'})`) ?? []),
      i.id,
    ]);
  for (const [reason, ids] of groups)
    console.log(`  ineligible, ${reason}: ${ids.length} — ${ids.join(' ')}`);
  console.log(`  accounts alarming at the end (uncovered > 24 h): ${r.alarmingAtEnd}`);
}

const failures: string[] = [];
const rollout = await simulate({ initialAccounts: 1000, joiningAccounts: 100, seed: 11, healthy: false }, 72);
describe('rollout', rollout);
if (rollout.late.length > 0)
  failures.push(`${rollout.late.length} eligible account(s) covered later than 2 periods after ready`);
if (rollout.uncoveredEligible.length > 0)
  failures.push(`${rollout.uncoveredEligible.length} eligible account(s) uncovered`);
const unnamed = rollout.ineligible.filter((i) => i.recorded !== i.reason);
if (unnamed.length > 0)
  failures.push(
    `${unnamed.length} ineligible account(s) not named with their reason: ${unnamed.map((i) => i.id).join(', ')}`,
  );

const healthy = await simulate({ initialAccounts: 1000, joiningAccounts: 0, seed: 12, healthy: true }, 12);
describe('healthy', healthy);
const budget = Math.ceil(healthy.accounts / 100) + 5;
const over = healthy.quietRunCalls.filter((c) => c > budget);
if (healthy.quietRunCalls.length === 0) failures.push('the healthy organization never had a quiet run');
if (over.length > 0)
  failures.push(`${over.length} quiet run(s) above ${budget} AWS calls: ${over.join(', ')}`);
console.log(`  quiet-run budget ceil(${healthy.accounts}/100)+5 = ${budget}`);

if (failures.length > 0) {
  console.error(`TARGETS FAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log('All targets met.');
}
