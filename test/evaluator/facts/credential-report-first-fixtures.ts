/** Builders shared by the credential-report-first scenario tests: a model account, its report, the source. */
import { IAMServiceException } from '@aws-sdk/client-iam';
import { decide, MS_PER_DAY, type UserFacts } from '../../../evaluator/decision';
import { ExclusionList } from '../../../evaluator/exclusions';
import { CredentialReportFirstSource } from '../../../evaluator/facts/credential-report-first';
import { createPerUserSource } from '../../../evaluator/facts/per-user';
import {
  CallCounter,
  type Deadline,
  type GatherContext,
  type UserFactsSource,
} from '../../../evaluator/facts/types';
import type { Logger } from '../../../evaluator/observability';
import { serveIam } from '../../../scripts/simulation/aws-mock';
import {
  type IamAccount,
  type ModelUser,
  type ReportRenderOptions,
  renderCredentialReport,
} from '../../../scripts/simulation/model';

export const NOW = new Date('2025-06-01T12:00:00Z');
export const MAX = 90;
export const REPORT_TIME = new Date(NOW.getTime() - 3 * 60 * 60 * 1000);
export const daysAgo = (days: number) => new Date(NOW.getTime() - days * MS_PER_DAY);
export const sinceReport = (fraction: number) =>
  new Date(REPORT_TIME.getTime() + fraction * (NOW.getTime() - REPORT_TIME.getTime()));

let seq = 0;
export function user(name: string, fields: Partial<ModelUser> = {}): ModelUser {
  seq += 1;
  return {
    name,
    id: `AIDA${String(seq).padStart(17, '0')}`,
    // A second apart: report rows sharing a creation second are not used for proofs.
    createDate: new Date(daysAgo(1000).getTime() + seq * 1000),
    passwordLastUsed: null,
    loginProfile: null,
    passwordLastChanged: null,
    keys: [],
    ...fields,
  };
}

export function key(
  id: number,
  createdDaysAgo: number,
  lastUsedDaysAgo: number | null,
  status: 'Active' | 'Inactive' = 'Active',
) {
  return {
    id: `AKIA${String(id).padStart(16, '0')}`,
    status,
    createDate: daysAgo(createdDaysAgo),
    lastUsed: lastUsedDaysAgo === null ? null : daysAgo(lastUsedDaysAgo),
  };
}

export const quiet = {
  lines: [] as string[],
  write(line: string) {
    this.lines.push(line);
  },
};

export function logger() {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

export const noDeadline: Deadline = { check: () => undefined, remainingMs: () => 900_000 };

export function context(deadline: Deadline = noDeadline): GatherContext {
  return { now: NOW, maxAgeDays: MAX, deadline, iamCalls: new CallCounter() };
}

export async function gatherAll(source: UserFactsSource, ctx: GatherContext): Promise<UserFacts[]> {
  const out: UserFacts[] = [];
  for await (const facts of source.gather(ctx)) out.push(facts);
  return out;
}

export function verdicts(facts: readonly UserFacts[]) {
  const policy = { maxAgeDays: MAX, exclusions: ExclusionList.EMPTY };
  return Object.fromEntries(
    facts.map((f) => {
      const v = decide(f, policy, NOW);
      return [
        f.userName,
        `${v.compliance}${v.revoke.password ? ' password' : ''}${v.revoke.accessKeyIds.map((k) => ` ${k}`).join('')}`,
      ];
    }),
  );
}

/**
 * Serves `live` with a report rendered from `atReport`, runs report-first (falling back to the
 * per-user source) and per-user, and returns both results with the calls each made.
 */
export async function scenario(atReport: IamAccount, live: IamAccount, options: ReportRenderOptions = {}) {
  const report = { csv: renderCredentialReport(atReport, options), generatedTime: REPORT_TIME };
  const served = serveIam(live, { report });
  const log = logger();
  const source = new CredentialReportFirstSource({
    iam: served.client,
    logger: log,
    fallback: createPerUserSource({ iam: served.client, logger: log }),
    report: { sleep: async () => undefined },
  });
  const ctx = context();
  const facts = await gatherAll(source, ctx);
  const perUserServed = serveIam(live, { report });
  const perUserCtx = context();
  const perUserFacts = await gatherAll(
    createPerUserSource({ iam: perUserServed.client, logger: log }),
    perUserCtx,
  );
  return {
    facts,
    verdicts: verdicts(facts),
    perUser: verdicts(perUserFacts),
    calls: ctx.iamCalls.snapshot(),
    stats: source.lastRun,
    served,
    log,
  };
}

export const REPORT_CALLS = { GenerateCredentialReport: 1, GetCredentialReport: 1, ListUsers: 1 };

/** `live` served with a credential report rendered from `atReport` (the same account by default). */
export function serveWithReport(live: IamAccount, atReport: IamAccount = live) {
  return serveIam(live, { report: { csv: renderCredentialReport(atReport), generatedTime: REPORT_TIME } });
}

/** The report-first source on `served`, the per-user source as its fallback, both logging to `log`. */
export function reportFirstOn(served: ReturnType<typeof serveIam>, log: Logger = quiet) {
  return new CredentialReportFirstSource({
    iam: served.client,
    logger: log,
    fallback: createPerUserSource({ iam: served.client, logger: log }),
  });
}

/** An IAM service error as the SDK throws it (`name` carries the API error code). */
export function iamException(name: string, message: string): IAMServiceException {
  return new IAMServiceException({ name, message, $fault: 'client', $metadata: {} });
}
