import { MS_PER_DAY } from '../../evaluator/decision';
import { type UserVerdict, utcDay } from './user-verdict';

/**
 * The organization at a glance, computed once and shared by the HTML page of `report` and of
 * `preview`: summary figures, accounts in the order they need attention, and chart series. Pure.
 */

export type AccountState = 'covered' | 'failing' | 'out-of-scope';

export interface AccountInput {
  readonly accountId: string;
  readonly accountName: string;
  readonly state: AccountState;
  /** Why the account failed or is out of scope. */
  readonly detail?: string;
  /** The newest verdict time in the account; null when unknown. */
  readonly lastRunAt: Date | null;
}

export interface OrgInput {
  readonly title: string;
  /** Where the verdicts come from, as a phrase: "the organization aggregator". */
  readonly source: string;
  readonly generatedAt: Date;
  readonly maxAgeDays: number | null;
  readonly remediationMode: string | null;
  /** Exclusion entries that matched no user; null when the command cannot know. */
  readonly unmatchedExclusions: number | null;
  readonly accounts: readonly AccountInput[];
  readonly users: readonly UserVerdict[];
}

/** Words that say what to do; "ok" is never used (it reads as "healthy" even with findings). */
export type Attention = 'not-read' | 'revoking' | 'due-soon' | 'clean' | 'out-of-scope';

export const ATTENTION_WORDS: Record<Attention, string> = {
  'not-read': 'NOT READ',
  revoking: 'NON-COMPLIANT USERS',
  'due-soon': 'REVOCATIONS DUE IN 7 DAYS',
  clean: 'NOTHING TO REVOKE',
  'out-of-scope': 'OUT OF SCOPE',
};

export interface AccountView extends AccountInput {
  readonly users: number;
  readonly nonCompliant: number;
  readonly excluded: number;
  readonly due7: number;
  readonly due30: number;
  readonly attention: Attention;
}

export interface Summary {
  readonly accountsCovered: number;
  readonly accountsFailing: number;
  readonly accountsOutOfScope: number;
  readonly users: number;
  readonly nonCompliant: number;
  readonly excluded: number;
  readonly unmatchedExclusions: number | null;
  readonly due7: number;
  readonly due30: number;
  readonly maxAgeDays: number | null;
  readonly remediationMode: string | null;
  readonly oldestLastRun: Date | null;
}

export interface OrgView {
  readonly input: OrgInput;
  readonly summary: Summary;
  /** Failing first, then the most non-compliant users, then the most revocations due soon. */
  readonly accounts: readonly AccountView[];
  /** Users per revokeOn day, for the next 30 days (day 0 is today). */
  readonly revocationsPerDay: readonly { readonly day: string; readonly users: number }[];
  /** The 20 accounts with the most non-compliant users (only those with some). */
  readonly topNonCompliant: readonly AccountView[];
}

export const HORIZON_DAYS = 30;
export const SOON_DAYS = 7;
export const TOP_ACCOUNTS = 20;

/** A user not yet non-compliant whose revokeOn falls within `days` from today (UTC days). */
export function dueWithin(user: UserVerdict, today: string, days: number): boolean {
  if (user.compliance === 'NON_COMPLIANT' || user.excluded || user.revokeOn === null) return false;
  return user.revokeOn <= addDays(today, days);
}

export function addDays(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00.000Z`) + days * MS_PER_DAY));
}

function attentionOf(a: AccountInput, nonCompliant: number, due7: number): Attention {
  if (a.state === 'failing') return 'not-read';
  if (a.state === 'out-of-scope') return 'out-of-scope';
  if (nonCompliant > 0) return 'revoking';
  return due7 > 0 ? 'due-soon' : 'clean';
}

const ORDER: readonly Attention[] = ['not-read', 'revoking', 'due-soon', 'clean', 'out-of-scope'];

function byAttention(a: AccountView, b: AccountView): number {
  return (
    ORDER.indexOf(a.attention) - ORDER.indexOf(b.attention) ||
    b.nonCompliant - a.nonCompliant ||
    b.due7 - a.due7 ||
    b.due30 - a.due30 ||
    a.accountId.localeCompare(b.accountId)
  );
}

function accountViews(input: OrgInput, today: string): AccountView[] {
  const usersOf = new Map<string, UserVerdict[]>();
  for (const u of input.users) {
    const key = u.accountId ?? '';
    const list = usersOf.get(key);
    if (list) list.push(u);
    else usersOf.set(key, [u]);
  }
  return input.accounts
    .map((a) => {
      const users = usersOf.get(a.accountId) ?? [];
      const nonCompliant = users.filter((u) => u.compliance === 'NON_COMPLIANT').length;
      const due7 = users.filter((u) => dueWithin(u, today, SOON_DAYS)).length;
      return {
        ...a,
        users: users.length,
        nonCompliant,
        excluded: users.filter((u) => u.excluded).length,
        due7,
        due30: users.filter((u) => dueWithin(u, today, HORIZON_DAYS)).length,
        attention: attentionOf(a, nonCompliant, due7),
      };
    })
    .sort(byAttention);
}

function perDay(users: readonly UserVerdict[], today: string): OrgView['revocationsPerDay'] {
  const days = Array.from({ length: HORIZON_DAYS + 1 }, (_, i) => addDays(today, i));
  const counts = new Map(days.map((d) => [d, 0]));
  for (const u of users) {
    if (!dueWithin(u, today, HORIZON_DAYS) || u.revokeOn === null) continue;
    // A revokeOn estimated before today (compliant when recorded) is due today.
    const day = u.revokeOn < today ? today : u.revokeOn;
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return days.map((day) => ({ day, users: counts.get(day) ?? 0 }));
}

export function buildOrgView(input: OrgInput): OrgView {
  const today = utcDay(input.generatedAt);
  const accounts = accountViews(input, today);
  const covered = accounts.filter((a) => a.state === 'covered');
  const runs = covered.flatMap((a) => (a.lastRunAt ? [a.lastRunAt.getTime()] : []));
  const summary: Summary = {
    accountsCovered: covered.length,
    accountsFailing: accounts.filter((a) => a.state === 'failing').length,
    accountsOutOfScope: accounts.filter((a) => a.state === 'out-of-scope').length,
    users: input.users.length,
    nonCompliant: input.users.filter((u) => u.compliance === 'NON_COMPLIANT').length,
    excluded: input.users.filter((u) => u.excluded).length,
    unmatchedExclusions: input.unmatchedExclusions,
    due7: input.users.filter((u) => dueWithin(u, today, SOON_DAYS)).length,
    due30: input.users.filter((u) => dueWithin(u, today, HORIZON_DAYS)).length,
    maxAgeDays: input.maxAgeDays,
    remediationMode: input.remediationMode,
    oldestLastRun: runs.length === 0 ? null : new Date(Math.min(...runs)),
  };
  const topNonCompliant = [...accounts]
    .filter((a) => a.nonCompliant > 0)
    .sort((a, b) => b.nonCompliant - a.nonCompliant || a.accountId.localeCompare(b.accountId))
    .slice(0, TOP_ACCOUNTS);
  return { input, summary, accounts, revocationsPerDay: perDay(input.users, today), topNonCompliant };
}
