import type { IAMClient } from '@aws-sdk/client-iam';
import { mapWithConcurrency } from '../concurrency';
import type { AccessKeyFacts, UserFacts } from '../decision';
import { CredentialReportUnavailableError } from '../errors';
import { errorLogFields, type Logger, logJson, stdoutLogger } from '../observability';
import { type CredentialReportFetchOptions, fetchCredentialReport } from './credential-report-fetch';
import {
  indexCredentialReport,
  indexSharedSeconds,
  matchCredentialReportRow,
  matchSharedSecondRow,
  type ProofContext,
  type ProofRow,
  planKeys,
  planPassword,
  proveLiveKey,
  reportAgeMinutes,
  reportedLastUse,
} from './credential-report-proof';
import {
  getAccessKeyLastUsed,
  getLoginProfile,
  LIST_USERS_PAGE_SIZE,
  type LiveUser,
  listAccessKeys,
  listAllUsers,
  UserDeletedDuringRun,
} from './iam-live';
import { createPerUserSource, logKeyDeleted } from './per-user';
import type { GatherContext, UserFactsSource } from './types';

/**
 * The report-first facts source: one credential report and ceil(N/1000) ListUsers pages prove
 * most credentials fresh; only what the report cannot prove is read live, per user, with bounded
 * concurrency. Same verdicts as the per-user source — the argument is in credential-report-proof.ts.
 * When the report cannot be had, the injected fallback (the per-user source) does the whole run.
 */

export const DEFAULT_REPORT_FIRST_CONCURRENCY = 8;

export interface CredentialReportFirstOptions {
  readonly iam: IAMClient;
  /** Used for the whole run when the report cannot be had. */
  readonly fallback: UserFactsSource;
  /** @default stdoutLogger */
  readonly logger?: Logger;
  /** Users confirmed live at the same time. @default DEFAULT_REPORT_FIRST_CONCURRENCY */
  readonly concurrency?: number;
  readonly report?: CredentialReportFetchOptions;
}

export interface CredentialReportFirstRunStats {
  readonly source: 'credential-report' | 'fallback';
  readonly fallbackReason?: string;
  readonly reportGeneratedTime?: string;
  readonly reportAgeMinutes?: number;
  readonly users: number;
  /** Live users without a usable report row (created or renamed since, …): read fully live. */
  readonly usersNotInReport: number;
  /** Report rows matched to no live user (deleted since, or sharing a creation second): not used. */
  readonly reportRowsGone: number;
  /** Users whose every credential the report (with live ListUsers data) proved fresh. */
  readonly usersProvenFresh: number;
  readonly passwordsConfirmedLive: number;
  readonly keyListsConfirmedLive: number;
  readonly keysConfirmedLive: number;
  /** Keys proven by the report, GetLoginProfile NoSuchEntity: one ListAccessKeys checked the user still exists. */
  readonly userExistenceChecks: number;
  /** Users that vanished between ListUsers and their live confirmation. */
  readonly usersDeletedDuringRun: number;
}

interface Counters {
  usersNotInReport: number;
  usersProvenFresh: number;
  passwordsConfirmedLive: number;
  keyListsConfirmedLive: number;
  keysConfirmedLive: number;
  userExistenceChecks: number;
  usersDeletedDuringRun: number;
}

export class CredentialReportFirstSource implements UserFactsSource {
  readonly strategy = 'report-first' as const;
  private readonly logger: Logger;
  private readonly concurrency: number;
  private stats: CredentialReportFirstRunStats | undefined;

  constructor(private readonly options: CredentialReportFirstOptions) {
    this.logger = options.logger ?? stdoutLogger;
    this.concurrency = options.concurrency ?? DEFAULT_REPORT_FIRST_CONCURRENCY;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new RangeError(`concurrency must be an integer >= 1, got ${this.concurrency}`);
    }
  }

  /** What the last gather did, for the run summary and the benchmark. */
  get lastRun(): CredentialReportFirstRunStats | undefined {
    return this.stats;
  }

  async *gather(context: GatherContext): AsyncIterable<UserFacts> {
    this.stats = undefined;
    let fetched: Awaited<ReturnType<typeof fetchCredentialReport>>;
    try {
      fetched = await fetchCredentialReport(
        this.options.iam,
        context.iamCalls,
        context.deadline,
        this.options.report,
      );
    } catch (error) {
      if (!(error instanceof CredentialReportUnavailableError)) throw error;
      logJson(this.logger, 'WARN', 'credential report unavailable; falling back to per-user live reads', {
        fallbackStrategy: this.options.fallback.strategy,
        ...errorLogFields(error),
      });
      this.stats = { ...emptyStats(), source: 'fallback', fallbackReason: error.message };
      let users = 0;
      for await (const facts of this.options.fallback.gather(context)) {
        users += 1;
        yield facts;
      }
      this.stats = { ...this.stats, users };
      return;
    }

    const users = await listAllUsers(this.options.iam, context.iamCalls, context.deadline);
    context.usersListed?.(users.map((user) => user.userId));
    const proof: ProofContext = {
      now: context.now,
      maxAgeDays: context.maxAgeDays,
      reportGeneratedTime: fetched.generatedTime,
    };
    const rowsByName = indexCredentialReport(fetched.report.users);
    const sharedSeconds = indexSharedSeconds(fetched.report.users);
    const counters = emptyCounters();
    const matchedRows = new Set<ProofRow>();
    // One ListUsers page at a time: enough confirmations in flight to fill the lanes, and the
    // caller can put evaluations while the next page is confirmed.
    for (let start = 0; start < users.length; start += LIST_USERS_PAGE_SIZE) {
      context.deadline.check(
        `evaluating users ${start + 1}-${Math.min(start + LIST_USERS_PAGE_SIZE, users.length)}`,
      );
      const page = users.slice(start, start + LIST_USERS_PAGE_SIZE);
      const facts = await mapWithConcurrency(page, this.concurrency, (user) => {
        const row =
          matchCredentialReportRow(user, rowsByName) ?? matchSharedSecondRow(user, sharedSeconds, proof);
        if (row) matchedRows.add(row);
        return this.factsFor(user, row, proof, context, counters);
      });
      for (const f of facts) if (f) yield f;
    }
    this.stats = {
      source: 'credential-report',
      reportGeneratedTime: fetched.generatedTime.toISOString(),
      reportAgeMinutes: reportAgeMinutes(proof),
      users: users.length - counters.usersDeletedDuringRun,
      reportRowsGone: fetched.report.users.length - matchedRows.size,
      ...counters,
    };
    logJson(this.logger, 'INFO', 'report-first facts gathered', { ...this.stats });
  }

  /** Facts for one user; null when the user was deleted while the run was confirming it. */
  private async factsFor(
    user: LiveUser,
    row: ProofRow | undefined,
    proof: ProofContext,
    context: GatherContext,
    counters: Counters,
  ): Promise<UserFacts | null> {
    const { iam } = this.options;
    const passwordPlan = row ? planPassword(user, row, proof) : { kind: 'confirm' as const };
    const keysPlan = row ? planKeys(user, row, proof) : { kind: 'confirm' as const };
    if (!row) counters.usersNotInReport += 1;
    if (passwordPlan.kind === 'proven' && keysPlan.kind === 'proven') {
      counters.usersProvenFresh += 1;
      return { ...identity(user), loginProfile: passwordPlan.loginProfile, accessKeys: keysPlan.accessKeys };
    }
    context.deadline.check(`confirming the credentials of user ${user.userName}`);

    try {
      let loginProfile: { readonly createDate: Date } | null;
      if (passwordPlan.kind === 'proven') {
        loginProfile = passwordPlan.loginProfile;
      } else {
        counters.passwordsConfirmedLive += 1;
        loginProfile = await getLoginProfile(iam, context.iamCalls, user.userName);
      }

      let accessKeys: readonly AccessKeyFacts[];
      if (keysPlan.kind === 'proven') {
        accessKeys = keysPlan.accessKeys;
        // GetLoginProfile's NoSuchEntity is also what a user deleted (or renamed) since ListUsers
        // gets; the per-user source settles it with the ListAccessKeys that follows, so do the same
        // before yielding the user. Its keys stay proven by the report.
        if (passwordPlan.kind === 'confirm' && loginProfile === null) {
          counters.userExistenceChecks += 1;
          await listAccessKeys(iam, context.iamCalls, user.userName);
        }
      } else {
        counters.keyListsConfirmedLive += 1;
        accessKeys = await this.confirmKeys(user, row, proof, context, counters);
      }
      return { ...identity(user), loginProfile, accessKeys };
    } catch (error) {
      if (!(error instanceof UserDeletedDuringRun)) throw error;
      counters.usersDeletedDuringRun += 1;
      logJson(this.logger, 'WARN', 'user deleted during the run: skipped, not evaluated', {
        userName: user.userName,
        userId: user.userId,
        operation: error.operation,
      });
      return null;
    }
  }

  /** Live keys; an active key the report cannot prove fresh gets its live last use. */
  private async confirmKeys(
    user: LiveUser,
    row: ProofRow | undefined,
    proof: ProofContext,
    context: GatherContext,
    counters: Counters,
  ): Promise<AccessKeyFacts[]> {
    const { iam } = this.options;
    const live = await listAccessKeys(iam, context.iamCalls, user.userName);
    const confirmed = await Promise.all(
      live.map(async (key): Promise<AccessKeyFacts | undefined> => {
        // The decision ignores inactive keys; the report's last use (if any) keeps the facts informative.
        if (key.status !== 'Active') return { ...key, lastUsedDate: reportedLastUse(key, row) };
        const proven = proveLiveKey(key, row, proof);
        if (proven.proven) return { ...key, lastUsedDate: proven.lastUsedDate };
        counters.keysConfirmedLive += 1;
        const lastUse = await getAccessKeyLastUsed(iam, context.iamCalls, user.userName, key.accessKeyId);
        if (!lastUse.deleted) return { ...key, lastUsedDate: lastUse.lastUsedDate };
        // Rotated away since ListAccessKeys: nothing left to revoke, the user is still evaluated.
        logKeyDeleted(this.logger, user, key.accessKeyId);
        return undefined;
      }),
    );
    return confirmed.filter((key): key is AccessKeyFacts => key !== undefined);
  }
}

/** The Lambda's facts source: report-first, with the per-user source as its fallback. */
export function createCredentialReportFirstWithFallback(deps: {
  readonly iam: IAMClient;
  readonly logger: Logger;
}): CredentialReportFirstSource {
  return new CredentialReportFirstSource({
    iam: deps.iam,
    logger: deps.logger,
    fallback: createPerUserSource(deps),
  });
}

function identity(user: LiveUser): Pick<UserFacts, 'userName' | 'userId' | 'passwordLastUsed'> {
  return { userName: user.userName, userId: user.userId, passwordLastUsed: user.passwordLastUsed };
}

function emptyCounters(): Counters {
  return {
    usersNotInReport: 0,
    usersProvenFresh: 0,
    passwordsConfirmedLive: 0,
    keyListsConfirmedLive: 0,
    keysConfirmedLive: 0,
    userExistenceChecks: 0,
    usersDeletedDuringRun: 0,
  };
}

function emptyStats(): Omit<CredentialReportFirstRunStats, 'source'> {
  return { users: 0, reportRowsGone: 0, ...emptyCounters() };
}
