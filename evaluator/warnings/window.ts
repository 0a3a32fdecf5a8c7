import { type CredentialAssessment, daysLeft, staleAt, type Verdict } from '../decision';

/**
 * Which credentials to warn about in this run: pure, from the verdict the rule just reached and
 * the instant of the last run whose warnings were all delivered.
 *
 * The window: a credential the runbook would act on (password with a login profile, or an active
 * key — exactly `verdict.credentials`), of a user who is not excluded, that is not stale yet and
 * turns stale within `warnDays` days. Days left come from the decision's own day count
 * (`daysLeft` in evaluator/decision.ts), so the warning and the verdict can never disagree.
 *
 * Deduplication without per-credential state: a credential is warned when it is in the window
 * now but was not at `lastDelivered` (it entered since, or was never seen), and once more on its
 * last day unless `lastDelivered` already fell on that day. Runs between deliveries see the same
 * state and send nothing, whatever the rule's frequency. Losing `lastDelivered` only repeats one
 * warning per credential in the window; it never skips one (docs/warnings.md).
 */

export interface WarnPolicy {
  readonly maxAgeDays: number;
  /** 0 turns warnings off. */
  readonly warnDays: number;
}

export type WarningKind = 'entering-window' | 'last-day';

export interface CredentialWarning {
  readonly userName: string;
  readonly userId: string;
  readonly credential: CredentialAssessment['credential'];
  readonly accessKeyId?: string;
  /** Last use; null when the credential was never used (then `since` is its creation). */
  readonly lastUsed: Date | null;
  readonly since: Date;
  /** The instant the credential turns stale: the first rule run after it revokes. */
  readonly staleAt: Date;
  /** Whole days until stale, 1..warnDays. */
  readonly daysLeft: number;
  readonly kind: WarningKind;
}

/** Whether the credential measured from `since` is in the warning window at `t`. */
export function inWindow(since: Date, t: Date, policy: WarnPolicy): boolean {
  if (t.getTime() < since.getTime()) return false; // the credential did not exist (or was not used) yet
  const left = daysLeft(since, policy.maxAgeDays, t);
  return left >= 1 && left <= policy.warnDays;
}

/**
 * The warnings this run sends for one verdict. `lastDelivered` is undefined when no earlier
 * delivery is known (first run, state lost): every credential in the window is then warned once.
 */
export function warningsFor(
  verdict: Verdict,
  policy: WarnPolicy,
  now: Date,
  lastDelivered: Date | undefined,
): CredentialWarning[] {
  if (policy.warnDays <= 0 || verdict.excluded) return [];
  // A lastDelivered in the future (clock skew, hand edit) proves nothing: treat it as unknown.
  const last =
    lastDelivered !== undefined && lastDelivered.getTime() <= now.getTime() ? lastDelivered : undefined;
  const warnings: CredentialWarning[] = [];
  for (const c of verdict.credentials) {
    if (c.stale || !inWindow(c.since, now, policy)) continue;
    const left = daysLeft(c.since, policy.maxAgeDays, now);
    const kind = kindNow(c.since, left, policy, last);
    if (kind === undefined) continue;
    warnings.push({
      userName: verdict.userName,
      userId: verdict.userId,
      credential: c.credential,
      ...(c.accessKeyId === undefined ? {} : { accessKeyId: c.accessKeyId }),
      lastUsed: c.basis === 'lastUsed' ? c.since : null,
      since: c.since,
      staleAt: staleAt(c.since, policy.maxAgeDays),
      daysLeft: left,
      kind,
    });
  }
  return warnings;
}

function kindNow(
  since: Date,
  left: number,
  policy: WarnPolicy,
  last: Date | undefined,
): WarningKind | undefined {
  const seenInWindow = last !== undefined && inWindow(since, last, policy);
  if (!seenInWindow) return left === 1 ? 'last-day' : 'entering-window';
  const lastDayAlreadySeen = last !== undefined && daysLeft(since, policy.maxAgeDays, last) === 1;
  return left === 1 && !lastDayAlreadySeen ? 'last-day' : undefined;
}
