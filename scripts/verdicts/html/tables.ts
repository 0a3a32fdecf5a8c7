import { type AccountView, ATTENTION_WORDS, dueWithin, HORIZON_DAYS, type OrgView } from '../org-view';
import type { CredentialVerdict, UserVerdict } from '../user-verdict';
import { utcDay } from '../user-verdict';
import { escapeHtml } from './escape';

/**
 * The page's tables. Rows carry `data-f` (the filter box hides what does not match); grouped
 * tables have one <tbody data-f> per account with the account as a row header spanning its users.
 */

type Cell = string | { readonly html: string; readonly cls?: string };

function cell(c: Cell): string {
  return typeof c === 'string'
    ? `<td>${escapeHtml(c)}</td>`
    : `<td${c.cls ? ` class="${c.cls}"` : ''}>${c.html}</td>`;
}

const num = (n: number): Cell => ({ html: String(n), cls: 'num' });

function head(headers: readonly string[]): string {
  return `<thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
}

function flatTable(id: string, headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const body = rows.map((cells) => `<tr data-f>${cells.map(cell).join('')}</tr>`).join('\n');
  return `<table id="${id}">${head(headers)}<tbody>\n${body}\n</tbody></table>`;
}

function groupedTable(
  id: string,
  headers: readonly string[],
  groups: readonly { readonly account: AccountView; readonly rows: readonly (readonly Cell[])[] }[],
): string {
  const bodies = groups.map(({ account, rows }) => {
    const th = `<th scope="rowgroup" rowspan="${rows.length}">${escapeHtml(account.accountId)}<br>${escapeHtml(account.accountName)}</th>`;
    const trs = rows.map((cells, i) => `<tr>${i === 0 ? th : ''}${cells.map(cell).join('')}</tr>`);
    return `<tbody data-f>\n${trs.join('\n')}\n</tbody>`;
  });
  return `<table id="${id}">${head(['Account', ...headers])}\n${bodies.join('\n')}\n</table>`;
}

export function word(account: AccountView): string {
  return `<span class="word ${account.attention}">${ATTENTION_WORDS[account.attention]}</span>`;
}

export function accountsTable(view: OrgView): string {
  return flatTable(
    'accounts',
    [
      'Status',
      'Account',
      'Account name',
      'Users',
      'Non-compliant',
      'Due in 7 days',
      'Due in 30 days',
      'Excluded',
      'Last run (UTC)',
      'Detail',
    ],
    view.accounts.map((a) => [
      { html: word(a) },
      a.accountId,
      a.accountName,
      num(a.users),
      num(a.nonCompliant),
      num(a.due7),
      num(a.due30),
      num(a.excluded),
      a.lastRunAt ? a.lastRunAt.toISOString().slice(0, 16).replace('T', ' ') : '-',
      a.detail ?? '',
    ]),
  );
}

function credentialName(c: CredentialVerdict): string {
  return c.credential === 'password' ? 'console password' : `access key ${c.accessKeyId ?? ''}`;
}

function unused(c: CredentialVerdict): string {
  if (c.daysUnused === null) return '';
  return ` (${c.daysUnused} days ${c.neverUsed ? 'since created, never used' : 'unused'})`;
}

/** What the runbook revokes, one line per credential. */
function revokedItems(u: UserVerdict): Cell {
  const items = [
    ...(u.revoke.password ? ['console password'] : []),
    ...u.revoke.accessKeys.map((k) => `access key ${k}`),
  ].map((what) => {
    const c = u.credentials.find((x) => credentialName(x) === what);
    return escapeHtml(`${what}${c ? unused(c) : ''}`);
  });
  return { html: items.join('<br>') || 'nothing named (see annotation)' };
}

function groupsOf(view: OrgView, pick: (u: UserVerdict) => boolean, row: (u: UserVerdict) => Cell[]) {
  const byAccount = new Map<string, UserVerdict[]>();
  for (const u of view.input.users) {
    if (!pick(u)) continue;
    const list = byAccount.get(u.accountId ?? '');
    if (list) list.push(u);
    else byAccount.set(u.accountId ?? '', [u]);
  }
  return view.accounts.flatMap((account) => {
    const users = byAccount.get(account.accountId);
    if (!users) return [];
    const sorted = [...users].sort(
      (a, b) => (a.revokeOn ?? '').localeCompare(b.revokeOn ?? '') || a.userName.localeCompare(b.userName),
    );
    return [{ account, rows: sorted.map(row) }];
  });
}

export function revokedNowTable(view: OrgView): string {
  const groups = groupsOf(
    view,
    (u) => u.compliance === 'NON_COMPLIANT',
    (u) => [u.userName || u.userId, revokedItems(u), `next run (stale since ${u.revokeOn ?? 'unknown'})`],
  );
  if (groups.length === 0) return '<p id="non-compliant">No non-compliant users.</p>';
  return groupedTable('non-compliant', ['User', 'Revoked', 'When'], groups);
}

export function revokedNextTable(view: OrgView): string {
  const today = utcDay(view.input.generatedAt);
  const groups = groupsOf(
    view,
    (u) => dueWithin(u, today, HORIZON_DAYS),
    (u) => {
      const due = u.credentials.filter((c) => c.revokeOn !== null && c.revokeOn === u.revokeOn);
      const days = Math.max(
        0,
        Math.round((Date.parse(u.revokeOn ?? today) - Date.parse(today)) / 86_400_000),
      );
      return [
        u.userName || u.userId,
        { html: due.map((c) => escapeHtml(`${credentialName(c)}${unused(c)}`)).join('<br>') },
        u.revokeOn ?? '',
        num(days),
      ];
    },
  );
  if (groups.length === 0)
    return `<p id="revoked-next">No credential becomes stale in the next ${HORIZON_DAYS} days.</p>`;
  return groupedTable('revoked-next', ['User', 'Becomes stale', 'Revoke on', 'Days left'], groups);
}

export function excludedTable(view: OrgView): string {
  const excluded = view.input.users.filter((u) => u.excluded);
  if (excluded.length === 0) return '<p id="excluded">No excluded users.</p>';
  return flatTable(
    'excluded',
    ['Account', 'User', 'Excluded by entry', 'Would otherwise revoke'],
    excluded.map((u) => [
      u.accountId ?? '',
      u.userName || u.userId,
      u.excludedBy
        ? `"${u.excludedBy.entry}" (${u.excludedBy.matchedBy === 'userId' ? 'UserId' : 'name'})`
        : 'not named',
      {
        html: u.credentials
          .filter((c) => c.stale)
          .map((c) => escapeHtml(`${credentialName(c)}${unused(c)}`))
          .join('<br>'),
      },
    ]),
  );
}

export function allUsersTable(view: OrgView): string {
  return flatTable(
    'all-users',
    ['Account', 'Account name', 'User', 'Compliance', 'Revoke on', 'Annotation', 'Recorded'],
    view.input.users.map((u) => [
      u.accountId ?? '',
      u.accountName,
      u.userName || u.userId,
      u.compliance,
      u.revokeOn ?? '',
      u.annotation,
      u.recordedAt ?? '',
    ]),
  );
}
