import { renderCsv } from '../../lib/terminal/csv';
import { isoOrEmpty, table } from '../../lib/terminal/output';
import type { AccountSummary, ComplianceReport, ComplianceRow, RevokeNext } from './model';

/** The report as table, JSON, CSV and a self-contained HTML page. */

const ROW_HEADERS = ['ACCOUNT', 'ACCOUNT NAME', 'USER', 'COMPLIANCE', 'ANNOTATION', 'RECORDED'] as const;

function rowCells(r: ComplianceRow): string[] {
  return [
    r.accountId,
    r.accountName,
    r.userName || r.userId,
    r.compliance,
    r.annotation,
    isoOrEmpty(r.recordedAt),
  ];
}

function summaryCells(a: AccountSummary): string[] {
  return [
    a.accountId,
    a.accountName,
    a.error ? '-' : String(a.users),
    a.error ? '-' : String(a.nonCompliant),
    a.error ? '-' : String(a.excluded),
    a.error ? `FAILED: ${a.error}` : (a.note ?? 'ok'),
  ];
}

function revokeCells(r: RevokeNext): string[] {
  return [
    r.accountId,
    r.userName || r.userId,
    r.credential,
    `${r.ageDays}d`,
    `${r.limitDays}d`,
    String(r.daysLeft),
  ];
}

export function renderComplianceTable(report: ComplianceReport): string {
  const parts = [
    'Accounts\n',
    table(
      ['ACCOUNT', 'ACCOUNT NAME', 'USERS', 'NON-COMPLIANT', 'EXCLUDED', 'STATUS'],
      report.accounts.map(summaryCells),
    ),
    '\nUsers\n',
    report.rows.length === 0 ? '(none)\n' : table([...ROW_HEADERS], report.rows.map(rowCells)),
  ];
  if (report.revokedNext.length > 0) {
    parts.push(
      '\nRevoked next (compliant users closest to the limit)\n',
      table(
        ['ACCOUNT', 'USER', 'CREDENTIAL', 'AGE', 'LIMIT', 'DAYS LEFT'],
        report.revokedNext.map(revokeCells),
      ),
    );
  }
  return parts.join('');
}

export function complianceReportJson(report: ComplianceReport): unknown {
  return {
    generatedAt: report.generatedAt.toISOString(),
    source: report.source,
    accounts: report.accounts,
    rows: report.rows.map((r) => ({ ...r, recordedAt: r.recordedAt?.toISOString() ?? null })),
    revokedNext: report.revokedNext,
  };
}

export function renderComplianceCsv(report: ComplianceReport): string {
  return renderCsv(
    [
      'account_id',
      'account_name',
      'region',
      'user_name',
      'user_id',
      'compliance',
      'excluded',
      'annotation',
      'recorded_time',
    ],
    report.rows.map((r) => [
      r.accountId,
      r.accountName,
      r.region,
      r.userName,
      r.userId,
      r.compliance,
      String(r.excluded),
      r.annotation,
      isoOrEmpty(r.recordedAt),
    ]),
  );
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function htmlTable(
  id: string,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  rowClass?: (i: number) => string,
): string {
  const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((cells, i) => {
      const cls = rowClass?.(i);
      return `<tr${cls ? ` class="${cls}"` : ''}>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1b1b1b;background:#fff}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:2rem}
p.meta{color:#555;margin-top:0}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin-top:.5rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}
tr.failed td{background:#fde2e2}tr.findings td{background:#fff4d6}
.count{font-weight:bold}
details{margin-top:1rem}summary{cursor:pointer;font-weight:bold}
@media print{details{display:block}}
`;

/** One self-contained page: inline CSS, no scripts, no external resources; every value escaped. */
export function renderComplianceHtml(report: ComplianceReport): string {
  const nonCompliant = report.rows.filter((r) => r.compliance === 'NON_COMPLIANT');
  const failed = report.accounts.filter((a) => a.error).length;
  const generated = report.generatedAt.toISOString();
  const summary = htmlTable(
    'accounts',
    ['Account', 'Account name', 'Users', 'Non-compliant', 'Excluded', 'Status'],
    report.accounts.map(summaryCells),
    (i) => {
      const a = report.accounts[i];
      return a?.error ? 'failed' : a && a.nonCompliant > 0 ? 'findings' : '';
    },
  );
  const nonCompliantTable =
    nonCompliant.length === 0
      ? '<p id="non-compliant">No non-compliant users.</p>'
      : htmlTable('non-compliant', [...ROW_HEADERS], nonCompliant.map(rowCells));
  const nextTable =
    report.revokedNext.length === 0
      ? '<p id="revoked-next">No compliant user has a credential age in its annotation.</p>'
      : htmlTable(
          'revoked-next',
          ['Account', 'User', 'Credential', 'Age', 'Limit', 'Days left'],
          report.revokedNext.map(revokeCells),
        );
  const allTable = htmlTable('all-users', [...ROW_HEADERS], report.rows.map(rowCells));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>IAM unused credentials report ${escapeHtml(generated)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>IAM unused credentials report</h1>
<p class="meta">Generated ${escapeHtml(generated)} from ${report.source === 'organization' ? 'the organization aggregator' : 'the current account'}.
<span class="count">${report.accounts.length}</span> account(s), <span class="count">${nonCompliant.length}</span> non-compliant user(s) shown${failed > 0 ? `, <span class="count">${failed}</span> account(s) could not be read` : ''}.</p>
<h2>Summary per account</h2>
${summary}
<h2>Non-compliant users (their unused credentials will be revoked)</h2>
${nonCompliantTable}
<h2>Revoked next (compliant users closest to the limit)</h2>
<p class="meta">Days left are counted from the age recorded in the rule's annotation and the time it was recorded.</p>
${nextTable}
<details><summary>All evaluated users (${report.rows.length})</summary>
${allTable}
</details>
</body>
</html>
`;
}
