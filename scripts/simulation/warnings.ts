/**
 * `npx tsx scripts/simulation/warnings.ts [--users 10000] [--json]`: revocation warnings at scale.
 * Builds the steady-mix synthetic account, decides every user with the evaluator's `decide`, and
 * replays one day of rule runs (daily: one run; hourly: 24) through the evaluator's warning window
 * and its real PutEvents batching, counting events and calls. Checks the bound: at most
 * ceil(warned / 10) PutEvents calls per run, and hourly runs send no more than one daily run.
 */
import type { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { decide, MS_PER_DAY } from '../../evaluator/decision';
import { ExclusionList } from '../../evaluator/exclusions';
import { CallCounter } from '../../evaluator/facts/types';
import { warningDetail, warningEntry } from '../../evaluator/warnings/event';
import { putEventsInBatches } from '../../evaluator/warnings/put-events';
import { warningsFor } from '../../evaluator/warnings/window';
import { buildAccount } from './accounts';

const NOW = new Date('2025-06-01T12:00:00Z');
const MAX_AGE_DAYS = 90;
const WARN_DAYS = 7;

export interface WarningDayFigures {
  readonly users: number;
  readonly runsPerDay: number;
  readonly credentialsInWindow: number;
  readonly eventsPerDay: number;
  readonly putEventsCallsPerDay: number;
  /** Users whose tags are read (ListUserTags), one call each. */
  readonly listUserTagsCallsPerDay: number;
  readonly boundHolds: boolean;
}

/** A client that accepts every entry: the batching code is the real one. */
const acceptingClient = {
  send: async (command: PutEventsCommand) => ({
    FailedEntryCount: 0,
    Entries: (command.input.Entries ?? []).map((_, i) => ({ EventId: `e-${i}` })),
  }),
} as unknown as EventBridgeClient;

export async function measureWarningDay(
  users: number,
  runsPerDay: number,
  seed = 1,
): Promise<WarningDayFigures> {
  const account = buildAccount({ users, mix: 'steady', seed, now: NOW, maxAgeDays: MAX_AGE_DAYS });
  const policy = { maxAgeDays: MAX_AGE_DAYS, exclusions: ExclusionList.parse(account.exclusions) };
  const facts = account.live.facts();
  const window = { maxAgeDays: MAX_AGE_DAYS, warnDays: WARN_DAYS };
  // Every schedule covers the same day, (NOW - 24 h, NOW], ending with a run at NOW; the run
  // before the day delivered. The synthetic ages cluster near the limit, so the span matters.
  const step = MS_PER_DAY / runsPerDay;
  let last = new Date(NOW.getTime() - MS_PER_DAY);
  let events = 0;
  let tagCalls = 0;
  let boundHolds = true;
  const calls = new CallCounter();
  let inWindow = 0;
  for (let run = 0; run < runsPerDay; run++) {
    const now = new Date(NOW.getTime() - (runsPerDay - 1 - run) * step);
    const verdicts = facts.map((f) => decide(f, policy, now));
    if (run === runsPerDay - 1)
      inWindow = verdicts.reduce((n, v) => n + warningsFor(v, window, now, undefined).length, 0);
    const warnings = verdicts.flatMap((v) => warningsFor(v, window, now, last));
    const before = calls.total;
    const put = await putEventsInBatches(
      acceptingClient,
      warnings.map((w) => warningEntry(warningDetail(w, '111111111111', {}), now)),
      calls,
    );
    events += put.sent;
    tagCalls += new Set(warnings.map((w) => w.userId)).size;
    boundHolds &&= calls.total - before <= Math.ceil(warnings.length / 10);
    last = now;
  }
  return {
    users,
    runsPerDay,
    credentialsInWindow: inWindow,
    eventsPerDay: events,
    putEventsCallsPerDay: calls.total,
    listUserTagsCallsPerDay: tagCalls,
    boundHolds,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const at = argv.indexOf('--users');
  const users = at >= 0 ? Number(argv[at + 1]) : 10_000;
  const rows = [await measureWarningDay(users, 1), await measureWarningDay(users, 24)];
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    for (const r of rows) {
      process.stdout.write(
        `${r.users} users, steady mix, ${r.runsPerDay} run(s)/day, warn ${WARN_DAYS}d before ${MAX_AGE_DAYS}d: ` +
          `${r.credentialsInWindow} credentials in the window, ${r.eventsPerDay} events/day, ` +
          `${r.putEventsCallsPerDay} PutEvents calls/day, ${r.listUserTagsCallsPerDay} ListUserTags calls/day, ` +
          `bound ceil(warned/10) per run ${r.boundHolds ? 'holds' : 'BROKEN'}\n`,
      );
    }
  }
  const [daily, hourly] = rows as [WarningDayFigures, WarningDayFigures];
  return daily.boundHolds && hourly.boundHolds && hourly.eventsPerDay <= daily.eventsPerDay ? 0 : 1;
}

if (process.argv[1]?.endsWith('warnings.ts')) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
