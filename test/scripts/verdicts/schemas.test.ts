import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import userSchema from '../../../schemas/user.schema.json';
import { schemaValidator } from '../../../scripts/verdicts/schemas';
import { USER_CSV_COLUMNS } from '../../../scripts/verdicts/user-csv';
import { credentialReportCsv, type ReportUser } from '../../support/generated-organization';
import { mockAws, runCli } from '../../support/harness';

const USERS: readonly ReportUser[] = [
  { name: 'stale', passwordUnused: 120 },
  { name: 'fresh', keyUnused: 85 },
  { name: 'breakglass', passwordUnused: null },
];

import { dir, givenMixedSnapshot, NOW, run } from '../commands/preview/fixture';
import { givenFixtureOrganization } from '../commands/report/fixture';
import { install, MIXED } from '../commands/status/fixture';

/** Every JSON output, produced by the real CLI, against the schemas shipped in schemas/. */

function expectValid(name: 'preview' | 'report' | 'status' | 'snapshot', document: unknown): void {
  const validate = schemaValidator(name);
  const valid = validate(document);
  // The errors, not just `false`, so a failure says which field broke the contract.
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('JSON outputs match schemas/', () => {
  it('preview of a snapshot', async () => {
    const out = await run([
      'preview',
      '--snapshot',
      givenMixedSnapshot(),
      '--max-age',
      '30',
      '--now',
      NOW,
      '--output',
      'json',
    ]);
    expectValid('preview', JSON.parse(out.stdout));
  });

  it('org-wide preview of credential reports with exclusions.yaml', async () => {
    const reports = join(dir, 'schema-reports');
    mkdirSync(reports, { recursive: true });
    writeFileSync(
      join(reports, '111111111111.csv'),
      credentialReportCsv('111111111111', USERS, new Date(NOW)),
    );
    writeFileSync(
      join(reports, '222222222222.csv'),
      credentialReportCsv('222222222222', USERS, new Date(NOW)),
    );
    const yaml = join(dir, 'schema-exclusions.yaml');
    writeFileSync(yaml, 'defaults: [breakglass]\naccounts:\n  "222222222222": [gone-user]\n');
    const out = await run([
      'preview',
      '--credential-reports',
      reports,
      '--exclusions',
      yaml,
      '--max-age',
      '90',
      '--now',
      NOW,
      '--output',
      'json',
    ]);
    const doc = JSON.parse(out.stdout);
    expectValid('preview', doc);
    expect(doc.users).toHaveLength(6);
  });

  it('report from the organization aggregator', async () => {
    givenFixtureOrganization();
    const out = await runCli(['report', '--output', 'json']);
    expectValid('report', JSON.parse(out.stdout));
  });

  it('status of a mixed organization', async () => {
    install(mockAws(), MIXED);
    const out = await runCli(['status', '--output', 'json']);
    const doc = JSON.parse(out.stdout) as { accounts: unknown[] };
    expect(doc.accounts.length).toBeGreaterThan(1);
    expectValid('status', doc);
  });

  it('the example snapshot', () => {
    expectValid('snapshot', JSON.parse(readFileSync('examples/article-snapshot.json', 'utf8')));
  });
});

describe('CSV carries the JSON user shape', () => {
  it('has a column for every field of schemas/user.schema.json (nested ones flattened)', () => {
    const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const flattened: Record<string, readonly string[]> = {
      revoke: ['revoke_password', 'revoke_access_keys'],
      credentials: [
        'password_days_unused',
        'password_never_used',
        'password_revoke_on',
        'access_keys_days_unused',
        'access_keys_never_used',
        'access_keys_revoke_on',
      ],
    };
    const expected = userSchema.required.flatMap((field) => flattened[field] ?? [snake(field)]);
    expect([...USER_CSV_COLUMNS]).toEqual(expected);
  });
});
