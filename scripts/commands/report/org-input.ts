import type { AccountInput, OrgInput } from '../../verdicts/org-view';
import type { ComplianceReport } from './model';

/**
 * The report as the shared organization page sees it. Config does not tell the report the
 * remediation mode or which exclusion entries matched nobody: both show as unknown.
 */
export function orgInputOfReport(report: ComplianceReport): OrgInput {
  const lastRun = new Map<string, number>();
  for (const u of report.allUsers) {
    if (u.recordedAt === null || u.accountId === null) continue;
    const t = Date.parse(u.recordedAt);
    lastRun.set(u.accountId, Math.max(lastRun.get(u.accountId) ?? 0, t));
  }
  const accounts: AccountInput[] = report.accounts.map((a) => {
    const at = lastRun.get(a.accountId);
    return {
      accountId: a.accountId,
      accountName: a.accountName,
      state: a.error ? 'failing' : a.note ? 'out-of-scope' : 'covered',
      ...(a.error ? { detail: a.error } : a.note ? { detail: a.note } : {}),
      lastRunAt: at === undefined ? null : new Date(at),
    };
  });
  return {
    title: 'IAM unused credentials report',
    source: report.source === 'organization' ? 'the organization aggregator' : 'the current account',
    generatedAt: report.generatedAt,
    maxAgeDays: report.maxAgeDays,
    remediationMode: null,
    unmatchedExclusions: null,
    accounts,
    users: report.allUsers,
  };
}
