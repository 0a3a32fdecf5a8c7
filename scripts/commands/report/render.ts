import { isoOrEmpty, table } from '../../lib/terminal/output';
import { renderOrgHtml } from '../../verdicts/html/page';
import { buildOrgView } from '../../verdicts/org-view';
import { renderUsersCsv } from '../../verdicts/user-csv';
import { SCHEMA_VERSION } from '../../verdicts/user-verdict';
import type { AccountSummary, ComplianceReport, ComplianceRow, RevokeNext } from './model';
import { orgInputOfReport } from './org-input';

export { escapeHtml } from '../../verdicts/html/escape';

/** The report as table, JSON (schemas/report.schema.json), CSV and a self-contained HTML page. */

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

/** The `--output json` document: schemas/report.schema.json. */
export function complianceReportJson(report: ComplianceReport): unknown {
  return {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: report.generatedAt.toISOString(),
    source: report.source,
    maxCredentialUsageAge: report.maxAgeDays,
    accounts: report.accounts,
    users: report.users,
    revokedNext: report.revokedNext,
  };
}

/** The shared user columns (the JSON user shape, flattened). */
export function renderComplianceCsv(report: ComplianceReport): string {
  return renderUsersCsv(report.users);
}

/** The shared organization page; its figures count every user read, whatever --non-compliant shows. */
export function renderComplianceHtml(report: ComplianceReport): string {
  return renderOrgHtml(buildOrgView(orgInputOfReport(report)));
}
