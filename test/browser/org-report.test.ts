import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { type OrgPage, renderGeneratedOrganization, VIEWPORT } from './org-page';

/**
 * The organization page at scale: 200 accounts x 50 users, generated credential reports through
 * `preview --credential-reports --exclusions --output html`, in a real headless Chromium.
 * docs/report-screenshot.png is made by test/browser/screenshot.ts from the same data.
 */

interface JsonUser {
  accountId: string;
  compliance: string;
  excluded: boolean;
  revokeOn: string | null;
}

function shown(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point of this test.
  return locator.innerText();
}

let browser: Browser;
let org: OrgPage;
let users: JsonUser[];
/** One load for the read-only tests: the page is 2-3 MB. */
let shared: Page;

beforeAll(async () => {
  org = await renderGeneratedOrganization(200, 50);
  expect(org.html.code).toBe(1);
  expect(org.html.stderr).toBe('');
  users = (JSON.parse(org.json.stdout) as { users: JsonUser[] }).users;
  browser = await launchBrowser();
  shared = (await open()).page;
});

afterAll(async () => {
  await browser?.close();
});

async function open(
  options: { javaScriptEnabled?: boolean } = {},
): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const context = await browser.newContext({ viewport: VIEWPORT, ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning')
      problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  const response = await page.goto(org.url, { waitUntil: 'load' });
  expect(response?.ok()).toBe(true);
  return { page, problems, requests };
}

const figure = (page: Page, name: string) => shown(page.locator(`[data-figure="${name}"] dd`));

describe('organization page, 200 accounts x 50 users', () => {
  it('loads with no console errors and no outside requests, and renders a screenshot', async () => {
    const { page, problems, requests } = await open();
    expect(problems).toEqual([]);
    expect(requests).toEqual([org.url]);
    const file = join(mkdtempSync(join(tmpdir(), 'iam-unused-shot-')), 'page.png');
    await page.screenshot({ path: file });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    await page.context().close();
  });

  it('shows the organization summary first, with the figures of the JSON output', async () => {
    const page = shared;
    // Given the same run as JSON, counted here independently of the page's code
    const due = (days: number) => {
      const last = new Date(Date.parse('2025-08-27T00:00:00Z') + days * 86_400_000)
        .toISOString()
        .slice(0, 10);
      return users.filter(
        (u) => u.compliance === 'COMPLIANT' && !u.excluded && u.revokeOn !== null && u.revokeOn <= last,
      ).length;
    };
    const nonCompliant = users.filter((u) => u.compliance === 'NON_COMPLIANT').length;
    expect(users).toHaveLength(10_000);
    expect(nonCompliant).toBeGreaterThan(0);
    // Then the first screen says it
    expect(await figure(page, 'accounts-covered')).toBe('200');
    expect(await figure(page, 'accounts-failing')).toBe('0');
    expect(await figure(page, 'users')).toBe('10000');
    expect(await figure(page, 'non-compliant')).toBe(String(nonCompliant));
    expect(await figure(page, 'excluded')).toBe('200');
    expect(await figure(page, 'unmatched-exclusions')).toBe('1');
    expect(await figure(page, 'due-7')).toBe(String(due(7)));
    expect(await figure(page, 'due-30')).toBe(String(due(30)));
    expect(await figure(page, 'max-age')).toBe('90');
    const summaryBox = await page.locator('#summary').boundingBox();
    expect((summaryBox?.y ?? Number.POSITIVE_INFINITY) + (summaryBox?.height ?? 0)).toBeLessThan(
      VIEWPORT.height,
    );
  });

  it('draws both charts: revocations per day and the top 20 accounts', async () => {
    const page = shared;
    expect(await page.locator('#chart-revocations').isVisible()).toBe(true);
    expect(await page.locator('#chart-revocations rect.bar').count()).toBe(31);
    const perDay = await page
      .locator('#chart-revocations rect.bar')
      .evaluateAll((bars) => bars.reduce((sum, b) => sum + Number(b.getAttribute('data-users')), 0));
    expect(perDay).toBeGreaterThan(0);
    expect(await page.locator('#chart-accounts').isVisible()).toBe(true);
    expect(await page.locator('#chart-accounts rect.bar').count()).toBe(20);
    expect(await page.locator('#chart-accounts rect.bar').first().getAttribute('data-account')).toBe(
      org.org.worstAccount,
    );
  });

  it('lists first the account that needs most attention, with a status word that cannot pass for healthy', async () => {
    const page = shared;
    const first = page.locator('#accounts tbody tr').first();
    expect(await shown(first)).toContain(org.org.worstAccount);
    expect(await shown(first)).toContain('NON-COMPLIANT USERS');
    expect(await page.locator('#accounts tbody tr').count()).toBe(200);
    expect(await shown(page.locator('#accounts'))).not.toMatch(/\bok\b/i);
    // Revocations are grouped by account, the same account first, naming what is revoked.
    const group = page.locator('#non-compliant tbody').first();
    expect(await shown(group.locator('th'))).toContain(org.org.worstAccount);
    expect(await shown(group)).toContain('console password');
    expect(await shown(group)).toContain('access key access_key_1');
    // Excluded users show the entry that excluded them.
    expect(await shown(page.locator('#excluded tbody tr').first())).toContain('"breakglass" (name)');
  });

  it('filters offline, and is complete with scripts off', async () => {
    const { page } = await open();
    await page.locator('#filter').fill(org.org.worstAccount);
    expect(await page.locator('#accounts tbody tr:visible').count()).toBe(1);
    expect(await page.locator('#non-compliant tbody:visible').count()).toBe(1);
    await page.context().close();
    const noScript = await open({ javaScriptEnabled: false });
    expect(await noScript.page.locator('#accounts tbody tr:visible').count()).toBe(200);
    expect(await figure(noScript.page, 'users')).toBe('10000');
    expect(await noScript.page.locator('#chart-revocations').isVisible()).toBe(true);
    await noScript.page.context().close();
  });
});
