import type { OrgView } from '../org-view';
import { escapeHtml } from './escape';

/** Two inline SVG bar charts: nothing to load, readable without a script, a <title> per bar. */

const W = 640;
const H = 200;
const PAD = { left: 36, right: 8, top: 12, bottom: 28 };

function niceMax(n: number): number {
  if (n <= 5) return 5;
  const step = 10 ** Math.floor(Math.log10(n));
  return Math.ceil(n / step) * step;
}

/** Upcoming revocations per day (users whose first credential becomes stale that day). */
export function revocationsChart(view: OrgView): string {
  const series = view.revocationsPerDay;
  const max = niceMax(Math.max(0, ...series.map((d) => d.users)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / series.length;
  const bars = series
    .map((d, i) => {
      const h = (d.users / max) * plotH;
      const x = PAD.left + i * slot + 1;
      const y = PAD.top + plotH - h;
      const label =
        i % 7 === 0
          ? `<text x="${x + slot / 2}" y="${H - 10}" text-anchor="middle">${d.day.slice(5)}</text>`
          : '';
      return `<rect class="bar" data-day="${d.day}" data-users="${d.users}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, slot - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="#b36200"><title>${d.day}: ${d.users} user(s)</title></rect>${label}`;
    })
    .join('');
  return `<svg id="chart-revocations" role="img" aria-labelledby="chart-revocations-title" viewBox="0 0 ${W} ${H}" font-size="11" font-family="system-ui,sans-serif">
<title id="chart-revocations-title">Users whose credentials become stale, per day, next ${series.length - 1} days</title>
${axis(max, plotH)}${bars}</svg>`;
}

function axis(max: number, plotH: number): string {
  const x = PAD.left;
  return (
    `<line x1="${x}" y1="${PAD.top}" x2="${x}" y2="${PAD.top + plotH}" stroke="#888"/>` +
    `<line x1="${x}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}" stroke="#888"/>` +
    `<text x="${x - 4}" y="${PAD.top + 4}" text-anchor="end">${max}</text>` +
    `<text x="${x - 4}" y="${PAD.top + plotH}" text-anchor="end">0</text>`
  );
}

/** Non-compliant users per account, the top accounts only, largest first. */
export function accountsChart(view: OrgView): string {
  const top = view.topNonCompliant;
  if (top.length === 0) {
    return `<svg id="chart-accounts" role="img" viewBox="0 0 ${W} 40" font-size="12" font-family="system-ui,sans-serif"><title>No account has non-compliant users</title><text x="10" y="24">No account has non-compliant users.</text></svg>`;
  }
  const row = 18;
  const labelW = 200;
  const height = top.length * row + 12;
  const max = Math.max(...top.map((a) => a.nonCompliant));
  const barsW = W - labelW - 50;
  const bars = top
    .map((a, i) => {
      const y = 6 + i * row;
      const w = Math.max(1, (a.nonCompliant / max) * barsW);
      const name = escapeHtml(`${a.accountId} ${a.accountName}`.slice(0, 32));
      return (
        `<text x="${labelW - 6}" y="${y + 12}" text-anchor="end">${name}</text>` +
        `<rect class="bar" data-account="${a.accountId}" x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${row - 5}" fill="#b3261e"><title>${escapeHtml(a.accountId)}: ${a.nonCompliant} non-compliant</title></rect>` +
        `<text x="${(labelW + w + 4).toFixed(1)}" y="${y + 12}">${a.nonCompliant}</text>`
      );
    })
    .join('');
  return `<svg id="chart-accounts" role="img" aria-labelledby="chart-accounts-title" viewBox="0 0 ${W} ${height}" font-size="11" font-family="system-ui,sans-serif">
<title id="chart-accounts-title">Non-compliant users per account, top ${top.length}</title>
${bars}</svg>`;
}
