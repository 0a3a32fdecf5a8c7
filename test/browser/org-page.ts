import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type GeneratedOrganization, generateOrganization } from '../support/generated-organization';
import { type CliRun, runCli } from '../support/run-cli';

/** The org-wide dry run of a generated organization as an HTML file: shared by the browser test and the screenshot. */

export const NOW = '2025-08-27T03:00:00Z';
export const VIEWPORT = { width: 1280, height: 900 };

export interface OrgPage {
  readonly org: GeneratedOrganization;
  readonly html: CliRun;
  readonly json: CliRun;
  readonly url: string;
}

export async function renderGeneratedOrganization(
  accounts: number,
  usersPerAccount: number,
): Promise<OrgPage> {
  const root = mkdtempSync(join(tmpdir(), 'iam-unused-org-'));
  const org = generateOrganization(root, accounts, usersPerAccount, new Date(NOW));
  const args = [
    'preview',
    '--credential-reports',
    org.dir,
    '--exclusions',
    org.exclusionsFile,
    '--max-age',
    '90',
    '--now',
    NOW,
    '--output',
  ];
  const html = await runCli([...args, 'html'], NOW);
  const json = await runCli([...args, 'json'], NOW);
  const file = join(root, 'preview.html');
  writeFileSync(file, html.stdout);
  return { org, html, json, url: pathToFileURL(file).href };
}
