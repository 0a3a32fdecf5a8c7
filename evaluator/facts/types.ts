import type { UserFacts } from '../decision';

/** Counts AWS calls by operation, for the run summary, the metrics and the benchmark. */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  count(operation: string): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** Stops new work when the Lambda's remaining time runs low. */
export interface Deadline {
  /** Throws DeadlineExceededError (naming `what`) when no new work may start. */
  check(what: string): void;
  remainingMs(): number;
}

export interface GatherContext {
  readonly now: Date;
  readonly maxAgeDays: number;
  readonly deadline: Deadline;
  readonly iamCalls: CallCounter;
  /**
   * Called by the source with the UserIds ListUsers returned, before it yields any of them. The
   * handler closes as NOT_APPLICABLE only earlier results whose UserId is not among them: a listed
   * user the source skipped (it vanished or was renamed mid-run) gets no evaluation this run, and
   * the next run closes it if it is really gone.
   */
  readonly usersListed?: (userIds: readonly string[]) => void;
}

/**
 * Where a run's user facts come from. Yields each user once, complete: a source that cannot read
 * a fact throws (IamReadError) instead of yielding a user with a guess in it. A user deleted or
 * renamed after ListUsers is skipped (not yielded); its UserId was still reported as listed.
 */
export interface UserFactsSource {
  readonly strategy: 'per-user' | 'report-first';
  gather(context: GatherContext): AsyncIterable<UserFacts>;
}
