import { launchBrowser } from '../support/browser';
import { renderGeneratedOrganization, VIEWPORT } from './org-page';

/**
 * Writes docs/report-screenshot.png: the first screen of the organization page for 200 accounts
 * x 50 users (generated credential reports through `preview --output html`). Run by hand after a
 * change to the page:  npx tsx test/browser/screenshot.ts
 */
const page = await renderGeneratedOrganization(200, 50);
const browser = await launchBrowser();
try {
  const tab = await browser.newPage({ viewport: VIEWPORT });
  await tab.goto(page.url, { waitUntil: 'load' });
  await tab.screenshot({ path: 'docs/report-screenshot.png' });
  process.stdout.write(`docs/report-screenshot.png written (${VIEWPORT.width}x${VIEWPORT.height})\n`);
} finally {
  await browser.close();
}
