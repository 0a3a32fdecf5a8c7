import { MS_PER_DAY, type Verdict } from '../../../evaluator/decision';
import { type CredentialWarning, warningsFor } from '../../../evaluator/warnings/window';
import { renderTable } from '../../lib/terminal/table';

/**
 * Who the deployed rule would warn today: the evaluator's own window and deduplication
 * (evaluator/warnings/window.ts) with the previous delivery one day earlier, as under the
 * default daily frequency. So: credentials entering the window today, and those on their last day.
 */
export function warnedToday(
  verdicts: readonly Verdict[],
  maxAgeDays: number,
  warnDays: number,
  now: Date,
): CredentialWarning[] {
  const yesterday = new Date(now.getTime() - MS_PER_DAY);
  return verdicts.flatMap((v) => warningsFor(v, { maxAgeDays, warnDays }, now, yesterday));
}

/** The `warnedToday` entries of the JSON document (the event's fields, without owner tags). */
export function warningsJson(warnings: readonly CredentialWarning[]): unknown[] {
  return warnings.map((w) => ({
    userName: w.userName,
    userId: w.userId,
    credential:
      w.accessKeyId === undefined ? { type: 'password' } : { type: 'accessKey', accessKeyId: w.accessKeyId },
    lastUsed: w.lastUsed?.toISOString() ?? null,
    revokeOn: w.staleAt.toISOString().slice(0, 10),
    daysLeft: w.daysLeft,
    warning: w.kind,
  }));
}

/** The table section: one row per warning, or a line saying nobody. */
export function renderWarnings(warnings: readonly CredentialWarning[], warnDays: number): string {
  if (warnDays === 0) return 'Warnings are off (--warn-days 0).';
  const title = `Would be warned today (${warnDays} days before revocation, daily runs): ${warnings.length}`;
  if (warnings.length === 0) return `${title}.`;
  const rows = warnings.map((w) => [
    w.userName,
    w.accessKeyId === undefined ? 'password' : `key ${w.accessKeyId}`,
    w.staleAt.toISOString().slice(0, 10),
    String(w.daysLeft),
    w.kind,
  ]);
  const table = renderTable(
    [
      { header: 'USER' },
      { header: 'CREDENTIAL' },
      { header: 'REVOKE ON' },
      { header: 'DAYS LEFT', align: 'right' },
      { header: 'WARNING' },
    ],
    rows,
  );
  return `${title}\n${table.trimEnd()}`;
}
