import { decide, type Policy, type UserFacts, type Verdict } from '../../../evaluator/decision';
import type { ExclusionList } from '../../../evaluator/exclusions';
import type { Approximation } from './credential-report-facts';

/**
 * `iam-unused preview`: what the runbook would revoke, computed offline from a snapshot of IAM
 * facts with the very `decide` the Lambda runs. Nothing here talks to AWS.
 */

/** The users to decide on, whatever file they came from. */
export interface PreviewInput {
  readonly accountId: string | null;
  readonly users: readonly UserFacts[];
  readonly approximations: readonly Approximation[];
}

export interface PreviewRow {
  readonly user: UserFacts;
  readonly verdict: Verdict;
}

export interface PreviewResult {
  readonly accountId: string | null;
  readonly maxAgeDays: number;
  readonly evaluatedAt: Date;
  readonly exclusions: ExclusionList;
  /** NON_COMPLIANT first, then by user name. */
  readonly rows: readonly PreviewRow[];
  readonly approximations: readonly Approximation[];
}

/** Decides every user of the input; pure. */
export function runPreview(input: PreviewInput, policy: Policy, now: Date): PreviewResult {
  const rows = input.users
    .map((user) => ({ user, verdict: decide(user, policy, now) }))
    .sort(
      (a, b) =>
        rank(a.verdict) - rank(b.verdict) ||
        a.user.userName.toLowerCase().localeCompare(b.user.userName.toLowerCase()),
    );
  return {
    accountId: input.accountId,
    maxAgeDays: policy.maxAgeDays,
    evaluatedAt: now,
    exclusions: policy.exclusions,
    rows,
    approximations: input.approximations,
  };
}

function rank(verdict: Verdict): number {
  return verdict.compliance === 'NON_COMPLIANT' ? 0 : 1;
}

/** An exclusion entry that matches none of its account's users (a typo, or a user since deleted). */
export interface UnmatchedEntry {
  readonly accountId: string | null;
  readonly entry: string;
}

/** Every account's preview, with the same limit and instant. */
export interface OrgPreview {
  readonly evaluatedAt: Date;
  readonly maxAgeDays: number;
  /** In the order of the inputs (account id order for a directory). */
  readonly accounts: readonly PreviewResult[];
  readonly unmatched: readonly UnmatchedEntry[];
}

function unmatchedEntries(result: PreviewResult): UnmatchedEntry[] {
  return result.exclusions.entries
    .filter(
      (entry) =>
        !result.rows.some(({ user }) =>
          entry.kind === 'userId'
            ? user.userId === entry.raw || user.userName.toLowerCase() === entry.raw.toLowerCase()
            : user.userName.toLowerCase() === entry.raw.toLowerCase(),
        ),
    )
    .map((entry) => ({ accountId: result.accountId, entry: entry.raw }));
}

/** Decides every account's users with its own exclusion list; pure. */
export function runOrgPreview(
  inputs: readonly PreviewInput[],
  maxAgeDays: number,
  exclusionsFor: (accountId: string | null) => ExclusionList,
  now: Date,
): OrgPreview {
  const accounts = inputs.map((input) =>
    runPreview(input, { maxAgeDays, exclusions: exclusionsFor(input.accountId) }, now),
  );
  return { evaluatedAt: now, maxAgeDays, accounts, unmatched: accounts.flatMap(unmatchedEntries) };
}
