import type { CredentialAssessment, UserFacts, Verdict } from '../../../evaluator/decision';
import { renderTable } from '../../lib/terminal/table';
import type { Approximation } from './credential-report-facts';
import type { OrgPreview, PreviewResult } from './model';

const APPROXIMATE_MARK = '*';

/** The `--output table` text for people. */
export function renderPreview(result: PreviewResult): string {
  const approximated = new Set(
    result.approximations.flatMap((a) => (a.userName === undefined ? [] : [`${a.userName}\0${a.field}`])),
  );
  const rows = result.rows.map(({ user, verdict }) => {
    const password = verdict.credentials.find((c) => c.credential === 'password');
    const passwordApprox =
      password?.basis === 'created' && approximated.has(`${user.userName}\0loginProfile.createDate`);
    return [
      user.userName,
      verdict.excluded ? `${verdict.compliance}\n(EXCLUDED)` : verdict.compliance,
      password ? `${age(password)}${passwordApprox ? ` ${APPROXIMATE_MARK}` : ''}` : 'no password',
      keysCell(user, verdict),
      revokeCell(verdict),
    ];
  });
  const nonCompliant = result.rows.filter((r) => r.verdict.compliance === 'NON_COMPLIANT');
  const excluded = result.rows.filter((r) => r.verdict.excluded).length;
  const passwords = nonCompliant.filter((r) => r.verdict.revoke.password).length;
  const keys = nonCompliant.reduce((n, r) => n + r.verdict.revoke.accessKeyIds.length, 0);
  const entries = result.exclusions.size;
  const lines = [
    `Account ${result.accountId ?? '(unknown)'}: credentials unused for ${result.maxAgeDays} days or more, ` +
      `as of ${result.evaluatedAt.toISOString()}; ${entries} exclusion entr${entries === 1 ? 'y' : 'ies'}.`,
    '',
    renderTable(
      [
        { header: 'USER' },
        { header: 'VERDICT' },
        { header: 'PASSWORD (days unused)' },
        { header: 'ACCESS KEYS (days unused)' },
        { header: 'WOULD REVOKE' },
      ],
      rows,
    ).trimEnd(),
    '',
    `${plural(result.rows.length, 'user')}: ${nonCompliant.length} NON_COMPLIANT, ` +
      `${result.rows.length - nonCompliant.length} COMPLIANT (${excluded} excluded). ` +
      `The runbook would delete ${plural(passwords, 'console password')} and deactivate ${plural(keys, 'access key')}.`,
  ];
  const userNotes = result.approximations.filter((a) => a.userName !== undefined);
  if (userNotes.length > 0) {
    const first = userNotes[0] as Approximation;
    lines.push(`${APPROXIMATE_MARK} Approximation: ${first.note}`);
  }
  for (const note of result.approximations.filter((a) => a.userName === undefined)) {
    lines.push(`Note: ${note.note}`);
  }
  return `${lines.join('\n')}\n`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function age(c: CredentialAssessment): string {
  return `${c.ageDays}d${c.basis === 'created' ? ' never used' : ''}${c.stale ? ' STALE' : ''}`;
}

function keysCell(user: UserFacts, verdict: Verdict): string {
  if (user.accessKeys.length === 0) return 'no keys';
  return user.accessKeys
    .map((key) => {
      const assessed = verdict.credentials.find((c) => c.accessKeyId === key.accessKeyId);
      // Inactive keys never count (deactivating them again changes nothing); show them anyway.
      return `${key.accessKeyId} ${assessed ? age(assessed) : 'inactive, ignored'}`;
    })
    .join('\n');
}

function revokeCell(verdict: Verdict): string {
  if (verdict.exclusion) {
    const by = verdict.exclusion.matchedBy === 'userId' ? 'UserId' : 'name';
    return `nothing: excluded by ${by} entry "${verdict.exclusion.entry.raw}"`;
  }
  const items = [
    ...(verdict.revoke.password ? ['console password'] : []),
    ...verdict.revoke.accessKeyIds.map((id) => `key ${id}`),
  ];
  return items.length === 0 ? 'nothing' : items.join('\n');
}

/** One section per account, then the organization's totals and the entries that matched nobody. */
export function renderOrgPreview(preview: OrgPreview): string {
  const sections = preview.accounts.map(renderPreview);
  const lines: string[] = [];
  if (preview.accounts.length > 1) {
    const rows = preview.accounts.flatMap((a) => a.rows);
    const nonCompliant = rows.filter((r) => r.verdict.compliance === 'NON_COMPLIANT').length;
    lines.push(
      `Organization: ${plural(preview.accounts.length, 'account')}, ${plural(rows.length, 'user')}: ` +
        `${nonCompliant} NON_COMPLIANT, ${rows.filter((r) => r.verdict.excluded).length} excluded.`,
    );
  }
  for (const u of preview.unmatched)
    lines.push(`Exclusion entry "${u.entry}" matches no user of account ${u.accountId ?? '(unknown)'}.`);
  return [...sections, ...(lines.length > 0 ? [`${lines.join('\n')}\n`] : [])].join('\n');
}
