import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchBrowser } from '../support/browser';
import { mockAws, organizationAccounts, runCli } from '../support/harness';
import { FIXTURE_ACCOUNTS, mockAggregator } from '../support/report-fixture';

/**
 * The HTML report in a real headless browser (test/support/browser.ts finds one offline): it must load offline without
 * console or page errors, request nothing beyond its own file, and show the non-compliant users.
 */

/** The text as rendered, which is what an auditor sees (textContent would include hidden text). */
function shown(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point of this test.
  return locator.innerText();
}

let browser: Browser;
let reportUrl: string;

beforeAll(async () => {
  const mocks = mockAws();
  organizationAccounts(mocks, [
    ['111111111111', 'workloads'],
    ['222222222222', FIXTURE_ACCOUNTS['222222222222']?.name ?? ''],
  ]);
  mockAggregator(mocks);
  const run = await runCli(['report', '--output', 'html']);
  expect(run.code).toBe(1);
  const dir = mkdtempSync(join(tmpdir(), 'iam-unused-report-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, run.stdout);
  reportUrl = pathToFileURL(file).href;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  vi.unstubAllEnvs();
});

describe('report --output html in chromium', () => {
  it('loads with no console errors, no page errors and no outside requests', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning')
        problems.push(`console ${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    const response = await page.goto(reportUrl, { waitUntil: 'load' });
    expect(response?.ok()).toBe(true);
    expect(problems).toEqual([]);
    expect(requests).toEqual([reportUrl]);
    expect(await page.title()).toContain('IAM unused credentials report');
    await page.close();
  });

  it('shows the non-compliant users, the account summary and who is revoked next', async () => {
    const page = await browser.newPage();
    await page.goto(reportUrl);
    const nonCompliant = page.locator('#non-compliant tbody tr');
    expect(await nonCompliant.count()).toBe(2);
    expect(await shown(nonCompliant.nth(0))).toContain('alice');
    expect(await shown(nonCompliant.nth(1))).toContain('dave');
    expect(await page.locator('#non-compliant').isVisible()).toBe(true);

    const summary = page.locator('#accounts tbody tr');
    expect(await summary.count()).toBe(2);
    // The account name with markup characters shows as text, not as markup.
    expect(await shown(summary.nth(1))).toContain('sandbox <eu> & "co"');

    const next = page.locator('#revoked-next tbody tr');
    expect(await shown(next.nth(0))).toContain('bob');
    // All users sit in a closed <details>: present, not visible until opened (no script needed).
    expect(await page.locator('#all-users').isVisible()).toBe(false);
    await page.locator('details summary').click();
    expect(await page.locator('#all-users tbody tr').count()).toBe(6);
    await page.close();
  });
});
