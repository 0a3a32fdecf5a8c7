import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Last resort only, where the packaged binary does not run (not x86_64 Linux): a system browser. */
const SYSTEM_BROWSERS = ['chromium', 'chromium-browser', 'google-chrome'].map((name) => `/usr/bin/${name}`);

/**
 * Launches a headless Chromium for the browser tests, with no download at test time:
 * CHROMIUM_PATH if set, else the binary shipped inside the @sparticuz/chromium devDependency
 * (x86_64 Linux), else a system Chromium or Chrome.
 */
export async function launchBrowser(): Promise<Browser> {
  const { executablePath, args } = await findBrowser();
  return chromium.launch({ executablePath, headless: true, args });
}

async function findBrowser(): Promise<{ executablePath: string; args: string[] }> {
  const offline = ['--no-sandbox', '--disable-background-networking', '--disable-component-update'];
  const named = process.env.CHROMIUM_PATH;
  if (named) {
    if (!existsSync(named))
      throw new Error(`CHROMIUM_PATH is ${named}, which does not exist: unset it or fix it.`);
    return { executablePath: named, args: offline };
  }
  if (process.platform === 'linux' && process.arch === 'x64') {
    const packaged = (await import('@sparticuz/chromium')).default;
    // Its Lambda-oriented args include --single-process, which hangs a second page: ours suffice.
    return { executablePath: await packaged.executablePath(), args: offline };
  }
  const system = SYSTEM_BROWSERS.find((path) => existsSync(path));
  if (system) return { executablePath: system, args: offline };
  throw new Error(
    `No headless Chromium: @sparticuz/chromium ships one for x86_64 Linux only, and none of ${SYSTEM_BROWSERS.join(', ')} exists. Set CHROMIUM_PATH to a Chromium or Chrome binary.`,
  );
}
