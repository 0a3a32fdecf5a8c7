import { decide, type UserFacts, type Verdict } from '../../evaluator/decision';
import { ExclusionList } from '../../evaluator/exclusions';
import {
  type CredentialReportFirstRunStats,
  CredentialReportFirstSource,
} from '../../evaluator/facts/credential-report-first';
import { createPerUserSource } from '../../evaluator/facts/per-user';
import type { GatherContext, UserFactsSource } from '../../evaluator/facts/types';
import { createHandler, type FactsSourceDeps } from '../../evaluator/handler';
import type { Logger } from '../../evaluator/observability';
import type { SyntheticAccount } from './accounts';
import { serveIam, serveSsm } from './aws-mock';
import { ConfigModel, type PutEvaluationRecord, serveConfigModel } from './config-model';
import { renderCredentialReport } from './model';

/**
 * Runs one strategy over one synthetic account through the real Lambda handler (createHandler),
 * with IAM, Config and SSM served from memory, and keeps what the benchmark measures.
 */

export type Strategy = 'per-user' | 'report-first';
export const STRATEGIES: readonly Strategy[] = ['per-user', 'report-first'];

export const RULE_NAME = 'iam-unused-credentials-check-conformance-pack-bench';

export interface VerdictKey {
  readonly compliance: Verdict['compliance'];
  readonly password: boolean;
  readonly accessKeyIds: readonly string[];
}

export interface RunResult {
  readonly strategy: Strategy;
  readonly usersEvaluated: number;
  readonly iamCallsByOperation: Readonly<Record<string, number>>;
  readonly iamCalls: number;
  readonly putEvaluationsCalls: number;
  readonly configReads: number;
  readonly configCalls: number;
  /** Evaluations put (Config bills each one). */
  readonly evaluationsPut: number;
  /** The process's peak resident set size (high-water mark) when the run ended, MB. */
  readonly peakRssMb: number;
  readonly cpuMs: number;
  /** Verdict per UserId, as the decision gives it on the facts the source yielded. */
  readonly verdicts: ReadonlyMap<string, VerdictKey>;
  /** What the handler put, per UserId. */
  readonly evaluations: readonly PutEvaluationRecord[];
  readonly reportFirst?: CredentialReportFirstRunStats;
}

export function verdictKey(verdict: Verdict): VerdictKey {
  return {
    compliance: verdict.compliance,
    password: verdict.revoke.password,
    accessKeyIds: [...verdict.revoke.accessKeyIds].sort(),
  };
}

const quietLogger: Logger = { write: () => undefined };

/** Passes facts through and keeps them, so verdicts are computed outside the measured CPU time. */
function tap(source: UserFactsSource, into: UserFacts[]): UserFactsSource {
  return {
    strategy: source.strategy,
    async *gather(context: GatherContext) {
      for await (const facts of source.gather(context)) {
        into.push(facts);
        yield facts;
      }
    },
  };
}

export interface RunOptions {
  readonly maxAgeDays: number;
  /** States GenerateCredentialReport answers in turn. @default ['COMPLETE'] */
  readonly generateStates?: readonly ('STARTED' | 'INPROGRESS' | 'COMPLETE')[];
  /** What Config holds, kept across runs. @default an empty model (a first run) */
  readonly config?: ConfigModel;
  /** When the run happens. @default account.now (the report is 3 h older either way) */
  readonly at?: Date;
  /** Keep the facts for `verdicts`; off for memory measurements. @default true */
  readonly keepFacts?: boolean;
}

export async function runStrategy(
  account: SyntheticAccount,
  strategy: Strategy,
  options: RunOptions,
): Promise<RunResult> {
  const now = options.at ?? account.now;
  // A later run sees a report of the account as it is then, as old as the first run's.
  const later = now.getTime() !== account.now.getTime();
  const csv = renderCredentialReport(later ? account.live : account.atReport);
  const reportAge = account.now.getTime() - account.reportGeneratedTime.getTime();
  const iam = serveIam(account.live, {
    report: { csv, generatedTime: new Date(now.getTime() - reportAge) },
    generateStates: options.generateStates ?? ['COMPLETE'],
  });
  const ssm = serveSsm(account.exclusions);
  const model = options.config ?? new ConfigModel(() => now);
  const putBefore = model.put.length;
  const config = serveConfigModel(model);
  const yielded: UserFacts[] = [];
  let reportFirst: CredentialReportFirstSource | undefined;
  const factsSource = (deps: FactsSourceDeps): UserFactsSource => {
    const perUser = createPerUserSource(deps);
    const keep = (source: UserFactsSource) => (options.keepFacts === false ? source : tap(source, yielded));
    if (strategy === 'per-user') return keep(perUser);
    reportFirst = new CredentialReportFirstSource({
      iam: deps.iam,
      logger: deps.logger,
      fallback: perUser,
      report: { sleep: async () => undefined },
    });
    return keep(reportFirst);
  };
  const handler = createHandler({
    iam: iam.client,
    ssm: ssm.client,
    config: config.client,
    factsSource,
    clock: () => now,
    logger: quietLogger,
  });
  const event = {
    invokingEvent: JSON.stringify({
      messageType: 'ScheduledNotification',
      notificationCreationTime: now.toISOString(),
      awsAccountId: '111111111111',
    }),
    ruleParameters: JSON.stringify({ MaxCredentialUsageAge: String(options.maxAgeDays) }),
    resultToken: 'bench-result-token',
    configRuleName: RULE_NAME,
    accountId: '111111111111',
  };

  const cpuBefore = process.cpuUsage();
  const summary = await handler(event, { getRemainingTimeInMillis: () => 900_000 });
  const cpu = process.cpuUsage(cpuBefore);

  const policy = { maxAgeDays: options.maxAgeDays, exclusions: ExclusionList.parse(account.exclusions) };
  const verdicts = new Map(yielded.map((f) => [f.userId, verdictKey(decide(f, policy, now))]));
  return {
    strategy,
    usersEvaluated: summary.users,
    iamCallsByOperation: summary.iamCalls.byOperation,
    iamCalls: summary.iamCalls.total,
    putEvaluationsCalls: summary.configCalls.byOperation.PutEvaluations ?? 0,
    configReads: summary.configCalls.byOperation.GetComplianceDetailsByConfigRule ?? 0,
    configCalls: summary.configCalls.total,
    evaluationsPut: summary.evaluationsPut,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    cpuMs: (cpu.user + cpu.system) / 1000,
    verdicts,
    evaluations: model.put.slice(putBefore),
    ...(reportFirst?.lastRun ? { reportFirst: reportFirst.lastRun } : {}),
  };
}

/** The verdicts straight from the live account: what any correct strategy must give. */
export function truthVerdicts(
  account: SyntheticAccount,
  maxAgeDays: number,
  at: Date = account.now,
): Map<string, VerdictKey> {
  const policy = { maxAgeDays, exclusions: ExclusionList.parse(account.exclusions) };
  return new Map(account.live.facts().map((f) => [f.userId, verdictKey(decide(f, policy, at))]));
}

/** Differences between two verdict maps, described for people (empty when identical). */
export function compareVerdicts(
  expected: ReadonlyMap<string, VerdictKey>,
  actual: ReadonlyMap<string, VerdictKey>,
  limit = 10,
): string[] {
  const out: string[] = [];
  for (const [id, want] of expected) {
    const got = actual.get(id);
    if (!got) out.push(`${id}: missing`);
    else if (JSON.stringify(got) !== JSON.stringify(want))
      out.push(`${id}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
  for (const id of actual.keys()) if (!expected.has(id)) out.push(`${id}: not a live user`);
  return out.slice(0, limit);
}
