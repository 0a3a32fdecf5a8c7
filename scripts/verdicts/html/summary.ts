import { HORIZON_DAYS, type OrgView, SOON_DAYS } from '../org-view';
import { escapeHtml } from './escape';

/** The first screen: the organization in figures, each with a data-figure name tests and scripts read. */

interface Figure {
  readonly name: string;
  readonly label: string;
  readonly value: string;
  readonly tone?: 'bad' | 'warn';
}

function orUnknown(value: number | string | null): string {
  return value === null ? 'unknown' : String(value);
}

export function figures(view: OrgView): Figure[] {
  const s = view.summary;
  return [
    { name: 'accounts-covered', label: 'Accounts covered', value: String(s.accountsCovered) },
    {
      name: 'accounts-failing',
      label: 'Accounts not read',
      value: String(s.accountsFailing),
      ...(s.accountsFailing > 0 ? { tone: 'bad' as const } : {}),
    },
    { name: 'accounts-out-of-scope', label: 'Accounts out of scope', value: String(s.accountsOutOfScope) },
    { name: 'users', label: 'IAM users evaluated', value: String(s.users) },
    {
      name: 'non-compliant',
      label: 'Non-compliant (revoked at next run)',
      value: String(s.nonCompliant),
      ...(s.nonCompliant > 0 ? { tone: 'bad' as const } : {}),
    },
    { name: 'excluded', label: 'Excluded users', value: String(s.excluded) },
    {
      name: 'unmatched-exclusions',
      label: 'Exclusion entries matching nobody',
      value: orUnknown(s.unmatchedExclusions),
      ...((s.unmatchedExclusions ?? 0) > 0 ? { tone: 'warn' as const } : {}),
    },
    {
      name: 'due-7',
      label: `Revocations due in ${SOON_DAYS} days`,
      value: String(s.due7),
      ...(s.due7 > 0 ? { tone: 'warn' as const } : {}),
    },
    { name: 'due-30', label: `Revocations due in ${HORIZON_DAYS} days`, value: String(s.due30) },
    {
      name: 'max-age',
      label: 'Max age (days unused)',
      value: s.maxAgeDays === null ? 'unknown' : `${s.maxAgeDays}`,
    },
    { name: 'remediation-mode', label: 'Remediation mode', value: orUnknown(s.remediationMode) },
    {
      name: 'oldest-last-run',
      label: 'Oldest last run (UTC)',
      value:
        s.oldestLastRun === null ? 'unknown' : s.oldestLastRun.toISOString().slice(0, 16).replace('T', ' '),
    },
  ];
}

export function summarySection(view: OrgView): string {
  const items = figures(view)
    .map(
      (f) =>
        `<div class="figure${f.tone ? ` ${f.tone}` : ''}" data-figure="${f.name}"><dt>${escapeHtml(f.label)}</dt><dd${/^\d+$/.test(f.value) ? '' : ' class="text"'}>${escapeHtml(f.value)}</dd></div>`,
    )
    .join('\n');
  return `<dl id="summary">\n${items}\n</dl>`;
}
