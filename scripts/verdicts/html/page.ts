import type { OrgView } from '../org-view';
import { accountsChart, revocationsChart } from './charts';
import { escapeHtml } from './escape';
import { FILTER_SCRIPT } from './filter-script';
import { STYLE } from './style';
import { summarySection } from './summary';
import { accountsTable, allUsersTable, excludedTable, revokedNextTable, revokedNowTable } from './tables';

/**
 * One self-contained page for a security lead, shared by `report --output html` and
 * `preview --output html`: inline CSS and SVG, no request beyond the file, readable with scripts
 * off (the only script is the filter box). Order: figures, charts, accounts by what needs
 * attention, what is revoked now and next (grouped by account), exclusions, every user.
 */
export function renderOrgHtml(view: OrgView): string {
  const { input } = view;
  const generated = input.generatedAt.toISOString();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(input.title)} ${escapeHtml(generated)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p class="meta">Generated ${escapeHtml(generated)} from ${escapeHtml(input.source)}.</p>
${summarySection(view)}
<div class="charts">
<figure class="chart"><figcaption><h2>Upcoming revocations per day</h2></figcaption>
${revocationsChart(view)}</figure>
<figure class="chart"><figcaption><h2>Non-compliant users per account (top ${view.topNonCompliant.length})</h2></figcaption>
${accountsChart(view)}</figure>
</div>
<div id="filter-box"><label for="filter">Filter accounts and users: </label><input id="filter" type="search" placeholder="account id, name or user" disabled> <span id="filter-count" class="meta">(the filter needs JavaScript; everything below is shown)</span></div>
<h2>Accounts, most urgent first</h2>
${accountsTable(view)}
<h2>Revoked at the next run (non-compliant users), by account</h2>
${revokedNowTable(view)}
<h2>Revoked next: credentials that become stale within 30 days, by account</h2>
<p class="meta">Dates read from Config annotations are never later than the runbook's (an age is rounded down when recorded).</p>
${revokedNextTable(view)}
<h2>Excluded users and the entry that excluded them</h2>
${excludedTable(view)}
<details><summary>All evaluated users (${input.users.length})</summary>
${allUsersTable(view)}
</details>
<script id="filter-script">${FILTER_SCRIPT}</script>
</body>
</html>
`;
}
