import { createHash } from 'node:crypto';
import { MS_PER_DAY } from './decision';

/**
 * Which evaluations a run puts: pure, so every case is tested on its own. Config bills each
 * recorded evaluation, and an evaluation not put again stays as recorded (docs/aws-behaviour.md),
 * so a run puts a user's verdict only when
 * - nothing usable is recorded for the user (new user, or an annotation from an older format),
 * - the recorded compliance or state token differs (the verdict changed: compliance, exclusion,
 *   or what would be revoked), or
 * - the recorded one is due for a refresh: on the user's refresh day, one in `refreshDays`, chosen
 *   by a stable hash of the UserId so that about 1/refreshDays of the users are put each day; or
 *   whenever it is older than `refreshDays` (a refresh day without a run).
 * When the recorded evaluations could not be read, every verdict is put: a changed verdict is
 * never skipped.
 */

/** What Config holds for one user (COMPLIANT or NON_COMPLIANT results only). */
export interface RecordedVerdict {
  readonly compliance: string;
  /** The state token of the recorded annotation; undefined when it has none. */
  readonly state: string | undefined;
  /** Config's ResultRecordedTime; undefined when Config gave none. */
  readonly recordedAt: Date | undefined;
}

/** Recorded verdicts by UserId, or undefined when they could not be read. */
export type Recorded = ReadonlyMap<string, RecordedVerdict> | undefined;

export interface CurrentVerdict {
  readonly userId: string;
  readonly compliance: string;
  readonly state: string;
}

export interface RefreshPolicy {
  readonly now: Date;
  readonly refreshDays: number;
}

export type WriteReason = 'recorded-unreadable' | 'new' | 'changed' | 'refresh';

const utcDay = (t: Date) => Math.floor(t.getTime() / MS_PER_DAY);

/** The user's refresh day, 0 to refreshDays-1: the same on every run for the same UserId. */
export function refreshSlot(userId: string, refreshDays: number): number {
  return createHash('sha256').update(userId).digest().readUInt32BE(0) % refreshDays;
}

/** Whether an unchanged verdict recorded at `recordedAt` is put again now. */
export function refreshDue(userId: string, recordedAt: Date | undefined, policy: RefreshPolicy): boolean {
  if (recordedAt === undefined) return true;
  const today = utcDay(policy.now);
  const recordedDay = utcDay(recordedAt);
  if (today - recordedDay > policy.refreshDays) return true;
  const slotToday =
    (((today - refreshSlot(userId, policy.refreshDays)) % policy.refreshDays) + policy.refreshDays) %
      policy.refreshDays ===
    0;
  return slotToday && recordedDay < today;
}

/** Why the verdict is put this run, or undefined when Config already holds it. */
export function writeReason(
  current: CurrentVerdict,
  recorded: Recorded,
  policy: RefreshPolicy,
): WriteReason | undefined {
  if (recorded === undefined) return 'recorded-unreadable';
  const held = recorded.get(current.userId);
  if (held === undefined || held.state === undefined) return 'new';
  if (held.compliance !== current.compliance || held.state !== current.state) return 'changed';
  return refreshDue(current.userId, held.recordedAt, policy) ? 'refresh' : undefined;
}

/**
 * Recorded users to close as NOT_APPLICABLE: neither evaluated this run nor returned by ListUsers
 * (a listed user skipped mid-run may still exist under a new name; the next run settles it).
 */
export function goneUsers(
  recordedIds: Iterable<string>,
  evaluated: ReadonlySet<string>,
  listed: ReadonlySet<string>,
): string[] {
  return [...recordedIds].filter((id) => !evaluated.has(id) && !listed.has(id)).sort();
}
