import type { CredentialReportAccessKey, CredentialReportUser } from '../credential-report';
import { type AccessKeyFacts, daysSince, MS_PER_DAY } from '../decision';
import type { LiveAccessKey, LiveUser } from './iam-live';

/**
 * What the credential report can PROVE about a user without a live call — pure, so every case is
 * tested on its own. The report-first source asks these functions and confirms the rest live.
 *
 * Why a proof is sound (the verdict must equal the per-user strategy's, compliance and revoke set):
 * 1. A credential is stale iff days(t) >= max, with t = last use, or creation when never used
 *    (decision.ts). t only moves forward: a use after the report makes t later, never earlier.
 *    So a t the report shows within the limit NOW (not at report time) is within it for good:
 *    the credential cannot be stale, whatever happened since. The report's dates are whole seconds,
 *    so they are taken one second early (REPORT_DATE_MARGIN_MS) to stay a lower bound.
 * 2. Every credential of a user is created after the user, so t >= the user's CreateDate (live,
 *    from ListUsers). A user created within the limit has no stale credential at all.
 * 3. Anything the report does not show — a key created or a login profile added since — was
 *    created after the report's snapshot, so its t is at least the report's time. While the report
 *    is younger than the limit (REPORT_SNAPSHOT_MARGIN_MS allowed for rows read before
 *    GeneratedTime), such a credential is fresh.
 * 4. Keys: the report's two slots carry no key id, and keys may have been rotated, deleted,
 *    reactivated or created since. Slot ORDER and ACTIVE flags are therefore not trusted. The
 *    report proves a user's keys fresh only when EVERY key slot it shows is fresh by (1): a key
 *    still there is fresh, a key deleted since does not count, a key created since is fresh by (3),
 *    and a key reactivated since was fresh when inactive. Otherwise the keys are listed live
 *    (ListAccessKeys) and a live key is matched to a slot by CreateDate == last_rotated (the same
 *    second, and every slot with that second must prove it): a matched fresh slot proves that key;
 *    any other active key gets GetAccessKeyLastUsed.
 * 5. Password: PasswordLastUsed is live (ListUsers). Within the limit ⇒ fresh by (1). Never used
 *    ⇒ t is the login profile's CreateDate, which the report lacks (password_last_changed is later
 *    than CreateDate after a reset, so it is no lower bound); (2) or, when the report says there was
 *    no password, (3) proves it fresh. A stale PasswordLastUsed proves nothing about a login profile
 *    (the runbook ignores it without one, and remediation may have deleted it since the report),
 *    so GetLoginProfile confirms it — also when the report said password_enabled=false, since a
 *    profile created since is measured from that older PasswordLastUsed.
 * 6. A report row belongs to a live user only when name AND creation second match: a user deleted
 *    and re-created under the same name since the report is another user. Users unknown to the
 *    report are read fully live, exactly as the per-user strategy reads them; rows of users that
 *    are gone are ignored (only ListUsers' users are evaluated).
 * 7. Renames: UpdateUser keeps a user's UserId and CreateDate, so name + second can still pick the
 *    wrong row. Say live user A matches row R of another user B (B's name at report time is A's
 *    name now, same creation second). A was in the report too, under its old name, and that row
 *    has A's CreateDate — the same second as R. So a row is used only when no other row shares its
 *    creation second; every user whose row is dropped that way is read fully live, as in (6).
 *    (Had A been created after the report, B would have been created, reported and renamed or
 *    deleted within that one second — the same residual case as a re-creation in (6).)
 *    (Users created in one second, e.g. by a script, are handled by (8).)
 * 8. Same-second groups. Rows sharing a creation second are ambiguous only as to WHICH of them
 *    belongs to which live user: by (7), a live user U created in that second who was in the report
 *    has its row among them. So U, when its name matches a row of the group, is proven against
 *    EVERY row of the group as if each were U's (with U's own live ListUsers data): planPassword
 *    sees a password if any row had one (except a row that reports a password use while U has no
 *    live PasswordLastUsed: usage dates only move forward, so were it U's row, U's login profile
 *    was deleted since and any now is newer than the report, fresh by (3)); planKeys sees every
 *    row's key slots unless all of them are fresh by (1); a live key is matched against every
 *    row's slots (4). Whichever row is U's,
 *    a credential proven that way is fresh; anything less is read live, as in (4) and (5). A user
 *    whose name matches no row of its second (renamed since) is read fully live, as in (6).
 *
 * Facts yielded for proven credentials are bounds, not live values: the verdict (compliance,
 * revoke set) is exact, while a COMPLIANT user's annotation may quote the report's older date.
 */

/** Report dates are written to the second: one second early keeps them a lower bound. */
export const REPORT_DATE_MARGIN_MS = 1000;
/** Rows may reflect state read a little before GeneratedTime; assume up to an hour. */
export const REPORT_SNAPSHOT_MARGIN_MS = 60 * 60 * 1000;

/**
 * What the proofs read of a report row. A report row is one; so is the row (8) merges from a
 * same-second group, which may hold more than two key slots.
 */
export interface ProofRow {
  readonly user: string;
  readonly passwordEnabled: boolean;
  readonly accessKeys: readonly CredentialReportAccessKey[];
}

export interface ProofContext {
  readonly now: Date;
  readonly maxAgeDays: number;
  readonly reportGeneratedTime: Date;
}

function freshLive(t: Date, ctx: ProofContext): boolean {
  return daysSince(t, ctx.now) < ctx.maxAgeDays;
}

function freshByReport(t: Date, ctx: ProofContext): boolean {
  return daysSince(new Date(t.getTime() - REPORT_DATE_MARGIN_MS), ctx.now) < ctx.maxAgeDays;
}

/** (3): whatever was created after the report's snapshot is within the limit now. */
export function newerThanReportIsFresh(ctx: ProofContext): boolean {
  return freshByReport(new Date(ctx.reportGeneratedTime.getTime() - REPORT_SNAPSHOT_MARGIN_MS), ctx);
}

function sameSecond(a: Date, b: Date): boolean {
  return Math.floor(a.getTime() / 1000) === Math.floor(b.getTime() / 1000);
}

/**
 * (6, 7) Index report rows by name, leaving out every row whose creation second another row shares;
 * look up with matchCredentialReportRow.
 */
export function indexCredentialReport(
  rows: readonly CredentialReportUser[],
): Map<string, CredentialReportUser> {
  const perSecond = new Map<number, number>();
  const second = (row: CredentialReportUser) => Math.floor(row.userCreationTime.getTime() / 1000);
  for (const row of rows) perSecond.set(second(row), (perSecond.get(second(row)) ?? 0) + 1);
  return new Map(rows.filter((row) => perSecond.get(second(row)) === 1).map((row) => [row.user, row]));
}

export function matchCredentialReportRow(
  user: LiveUser,
  rowsByName: ReadonlyMap<string, CredentialReportUser>,
): CredentialReportUser | undefined {
  const row = rowsByName.get(user.userName);
  return row && sameSecond(row.userCreationTime, user.createDate) ? row : undefined;
}

const creationSecond = (t: Date) => Math.floor(t.getTime() / 1000);

/** (8) The rows of every creation second that more than one row shares, by that second. */
export function indexSharedSeconds(
  rows: readonly CredentialReportUser[],
): Map<number, CredentialReportUser[]> {
  const perSecond = new Map<number, number>();
  for (const row of rows) {
    const s = creationSecond(row.userCreationTime);
    perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
  }
  const groups = new Map<number, CredentialReportUser[]>();
  for (const row of rows) {
    const s = creationSecond(row.userCreationTime);
    if ((perSecond.get(s) ?? 0) < 2) continue;
    const group = groups.get(s);
    if (group) group.push(row);
    else groups.set(s, [row]);
  }
  return groups;
}

/**
 * (8) For a live user created in a shared second whose name matches a row of that second: one row
 * that stands for the whole group, so planPassword, planKeys and proveLiveKey prove only what
 * holds whichever row is the user's. Its facts are the named row's when every key slot is fresh.
 */
export function matchSharedSecondRow(
  user: LiveUser,
  groups: ReadonlyMap<number, readonly CredentialReportUser[]>,
  ctx: ProofContext,
): ProofRow | undefined {
  const group = groups.get(creationSecond(user.createDate));
  const named = group?.find((row) => row.user === user.userName);
  if (!group || !named) return undefined;
  const slots = group.flatMap(presentSlots);
  const allFresh = slots.every((slot) => {
    const since = slotSince(slot);
    return since !== null && freshByReport(since, ctx);
  });
  return {
    ...named,
    passwordEnabled: group.some((row) => row.passwordEnabled && !notTheUsersPassword(user, row, ctx)),
    accessKeys: allFresh ? named.accessKeys : slots,
  };
}

/**
 * (8) A row that reports a password use is not the user's row as far as the password goes when
 * the user's live PasswordLastUsed is absent: usage dates only move forward, so were it the user's
 * row, its login profile was deleted since the report and any profile now is newer than the
 * report, fresh by (3). (A live PasswordLastUsed decides planPassword without any row.)
 */
function notTheUsersPassword(user: LiveUser, row: CredentialReportUser, ctx: ProofContext): boolean {
  return row.passwordLastUsed !== null && user.passwordLastUsed === null && newerThanReportIsFresh(ctx);
}

export type PasswordPlan =
  | { readonly kind: 'proven'; readonly loginProfile: { readonly createDate: Date } | null }
  | { readonly kind: 'confirm' };

/** (5) Whether the password needs GetLoginProfile. */
export function planPassword(user: LiveUser, row: ProofRow, ctx: ProofContext): PasswordPlan {
  // The login profile stands in with the user's CreateDate, a lower bound of its real CreateDate.
  const reported = row.passwordEnabled ? { createDate: user.createDate } : null;
  if (user.passwordLastUsed) {
    return freshLive(user.passwordLastUsed, ctx)
      ? { kind: 'proven', loginProfile: reported }
      : { kind: 'confirm' };
  }
  if (freshLive(user.createDate, ctx)) return { kind: 'proven', loginProfile: reported };
  if (!row.passwordEnabled && newerThanReportIsFresh(ctx)) return { kind: 'proven', loginProfile: null };
  return { kind: 'confirm' };
}

function slotSince(slot: CredentialReportAccessKey): Date | null {
  return slot.lastUsedDate ?? slot.lastRotated;
}

/** Slots that held a key when the report was generated. */
function presentSlots(row: ProofRow): CredentialReportAccessKey[] {
  return row.accessKeys.filter((slot) => slot.lastRotated !== null || slot.active);
}

/** A stand-in id: the report has no key ids. Shown only in a COMPLIANT user's annotation. */
export function reportSlotKeyId(slot: 1 | 2): string {
  return `access_key_${slot} (report)`;
}

export type KeysPlan =
  | { readonly kind: 'proven'; readonly accessKeys: readonly AccessKeyFacts[] }
  | { readonly kind: 'confirm' };

/** (4) Whether the user's keys need ListAccessKeys. */
export function planKeys(user: LiveUser, row: ProofRow, ctx: ProofContext): KeysPlan {
  const slots = presentSlots(row);
  const allFresh = slots.every((slot) => {
    const since = slotSince(slot);
    return since !== null && freshByReport(since, ctx);
  });
  // (2) also covers a young user whose keys may all be newer than the report.
  if (!allFresh || !(newerThanReportIsFresh(ctx) || freshLive(user.createDate, ctx)))
    return { kind: 'confirm' };
  return {
    kind: 'proven',
    accessKeys: slots.map((slot) => ({
      accessKeyId: reportSlotKeyId(slot.slot),
      status: slot.active ? 'Active' : 'Inactive',
      createDate: slot.lastRotated ?? user.createDate,
      lastUsedDate: slot.lastUsedDate,
    })),
  };
}

export type KeyProof =
  | { readonly proven: true; readonly lastUsedDate: Date | null }
  | { readonly proven: false };

/**
 * (4) For a live key of a user whose keys were listed: whether the report proves it fresh. The
 * lastUsedDate returned is the report's (a lower bound); null means the report saw no use.
 */
export function proveLiveKey(key: LiveAccessKey, row: ProofRow | undefined, ctx: ProofContext): KeyProof {
  if (!row) return { proven: false };
  const matching = presentSlots(row).filter(
    (slot) => slot.lastRotated !== null && sameSecond(slot.lastRotated, key.createDate),
  );
  if (matching.length === 0) return { proven: false };
  for (const slot of matching) {
    const since = slotSince(slot);
    if (since === null || !freshByReport(since, ctx)) return { proven: false };
  }
  const used = matching.map((slot) => slot.lastUsedDate).filter((d): d is Date => d !== null);
  return {
    proven: true,
    lastUsedDate:
      used.length === matching.length ? new Date(Math.min(...used.map((d) => d.getTime()))) : null,
  };
}

/** For an inactive live key (the decision ignores it): the report's last use when it knows the key. */
export function reportedLastUse(key: LiveAccessKey, row: ProofRow | undefined): Date | null {
  const slot = row?.accessKeys.find(
    (s) => s.lastRotated !== null && sameSecond(s.lastRotated, key.createDate),
  );
  return slot?.lastUsedDate ?? null;
}

/** The report's age in whole minutes, for logs. */
export function reportAgeMinutes(ctx: ProofContext): number {
  return Math.round((ctx.now.getTime() - ctx.reportGeneratedTime.getTime()) / (MS_PER_DAY / 1440));
}
