/**
 * `tsx scripts/simulation/memory.ts <users>`: one report-first run of the real handler over a
 * steady account of that many users, in a process of its own, so its peak RSS is the evaluator's
 * (plus the in-memory IAM and Config it reads from). Prints one JSON line:
 * {"users", "peakRssMb", "beforeRunRssMb", "seconds"}. The bench runs it for 10,000 and 50,000.
 */
import { buildAccount } from './accounts';
import { runStrategy } from './run';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const MAX_AGE_DAYS = 90;
const NOW = new Date('2025-06-01T12:00:00Z');

async function main(): Promise<void> {
  const users = Number(process.argv[2]);
  if (!Number.isInteger(users) || users < 1) {
    throw new Error(`usage: memory.ts <users>, got ${JSON.stringify(process.argv[2])}`);
  }
  const account = buildAccount({ users, mix: 'steady', seed: users, now: NOW, maxAgeDays: MAX_AGE_DAYS });
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  const beforeRunRssMb = mb(process.memoryUsage().rss);
  const started = Date.now();
  const run = await runStrategy(account, 'report-first', { maxAgeDays: MAX_AGE_DAYS, keepFacts: false });
  process.stdout.write(
    `${JSON.stringify({
      users: run.usersEvaluated,
      peakRssMb: run.peakRssMb,
      beforeRunRssMb,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `memory: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 2;
});
