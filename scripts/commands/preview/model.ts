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
