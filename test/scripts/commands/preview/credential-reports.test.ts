import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { USER_CSV_COLUMNS } from '../../../../scripts/verdicts/user-csv';
import { credentialReportCsv, type ReportUser } from '../../../support/generated-organization';
import { dir, NOW, run, runJson } from './fixture';

/** `preview --credential-reports DIR --exclusions exclusions.yaml`: the org-wide dry run. */

const USERS: readonly ReportUser[] = [
  { name: 'stale', passwordUnused: 120 },
  { name: 'fresh', keyUnused: 85 },
  { name: 'breakglass', passwordUnused: null },
  { name: 'ci-deployer', keyUnused: 300 },
];

function givenReports(name: string, files: Record<string, string>): string {
  const reports = join(dir, name);
  mkdirSync(reports, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(reports, file), text);
  return reports;
}

const reports = givenReports('org-reports', {
  '111111111111.csv': credentialReportCsv('111111111111', USERS, new Date(NOW)),
  'report-222222222222.csv': credentialReportCsv('222222222222', USERS, new Date(NOW)),
  'README.txt': 'not a report',
});
const exclusions = join(dir, 'org-exclusions.yaml');
writeFileSync(
  exclusions,
  'defaults: [breakglass]\naccounts:\n  "222222222222": [ci-deployer, left-the-company]\n',
);
const base = [
  'preview',
  '--credential-reports',
  reports,
  '--exclusions',
  exclusions,
  '--max-age',
  '90',
  '--now',
  NOW,
];

describe('iam-unused preview --credential-reports DIR --exclusions FILE', () => {
  it('decides every account with its own list from exclusions.yaml (JSON)', async () => {
    // When
    const { code, doc } = await runJson(base);
    // Then
    expect(code).toBe(1);
    expect(doc.accountId).toBeNull();
    expect(doc.accounts).toEqual([
      { accountId: '111111111111', users: 4, nonCompliant: 2, excluded: 1, exclusionEntries: 1 },
      { accountId: '222222222222', users: 4, nonCompliant: 1, excluded: 2, exclusionEntries: 3 },
    ]);
    const verdict = (account: string, name: string) =>
      doc.users.find(
        (u) => (u as unknown as { accountId: string }).accountId === account && u.userName === name,
      );
    expect(verdict('111111111111', 'ci-deployer')?.compliance).toBe('NON_COMPLIANT');
    expect(verdict('222222222222', 'ci-deployer')?.excludedBy).toEqual({
      entry: 'ci-deployer',
      matchedBy: 'name',
    });
    expect(verdict('111111111111', 'breakglass')?.excludedBy).toEqual({
      entry: 'breakglass',
      matchedBy: 'name',
    });
    expect(doc.unmatchedExclusions).toEqual([{ accountId: '222222222222', entry: 'left-the-company' }]);
    // The notes about every user of a credential report appear once, not once per account.
    expect(
      (doc.approximations as { userName?: string }[]).filter((a) => a.userName === undefined),
    ).toHaveLength(2);
  });

  it('prints one section per account, then the organization and the entries that match nobody (table)', async () => {
    const { code, stdout } = await run(base);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^Account 111111111111: credentials unused for 90 days/m);
    expect(stdout).toMatch(
      /^Account 222222222222: credentials unused for 90 days.*; 3 exclusion entries\.$/m,
    );
    expect(stdout).toContain('Organization: 2 accounts, 8 users: 3 NON_COMPLIANT, 3 excluded.');
    expect(stdout).toContain('Exclusion entry "left-the-company" matches no user of account 222222222222.');
  });

  it('writes the shared user columns (CSV) and the organization page (HTML)', async () => {
    const csv = await run([...base, '--output', 'csv']);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe(USER_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 8);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^111111111111,,,stale,arn:aws:iam::111111111111:user\/stale,NON_COMPLIANT,false,,true,,120,false,2025-07-28,/,
      ),
    );
    const html = await run([...base, '--output', 'html']);
    expect(html.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.stdout).toContain(
      'data-figure="unmatched-exclusions"><dt>Exclusion entries matching nobody</dt><dd>1</dd>',
    );
  });

  it('with --exclude, one list applies to every account', async () => {
    const { doc } = await runJson([
      'preview',
      '--credential-reports',
      reports,
      '--exclude',
      'stale',
      '--max-age',
      '90',
      '--now',
      NOW,
    ]);
    expect(doc.users.filter((u) => u.userName === 'stale').every((u) => u.excluded)).toBe(true);
  });

  it.each([
    [
      '--exclude with --exclusions',
      [...base, '--exclude', 'x'],
      /give --exclude LIST or --exclusions exclusions\.yaml, not both/,
    ],
    [
      'a directory without reports',
      [
        'preview',
        '--credential-reports',
        givenReports('empty-reports', { 'notes.txt': '' }),
        '--max-age',
        '90',
      ],
      /no file named after a 12-digit account id with \.csv, e\.g\. 111111111111\.csv/,
    ],
    [
      'a missing directory',
      ['preview', '--credential-reports', join(dir, 'nope'), '--max-age', '90'],
      /cannot read the --credential-reports directory .*: no such directory/,
    ],
    [
      'a report saved under another account id',
      [
        'preview',
        '--credential-reports',
        givenReports('wrong-name', {
          '333333333333.csv': credentialReportCsv('444444444444', USERS, new Date(NOW)),
        }),
        '--max-age',
        '90',
      ],
      /the file name says account 333333333333 but its users' ARNs are in account 444444444444\. Rename the file to 444444444444\.csv/,
    ],
    [
      'two files for one account',
      [
        'preview',
        '--credential-reports',
        givenReports('twice', {
          '111111111111.csv': credentialReportCsv('111111111111', USERS, new Date(NOW)),
          'old-111111111111.csv': credentialReportCsv('111111111111', USERS, new Date(NOW)),
        }),
        '--max-age',
        '90',
      ],
      /two files for account 111111111111/,
    ],
    [
      'a bad exclusions.yaml',
      [
        ...base.slice(0, 4),
        (() => {
          const f = join(dir, 'bad.yaml');
          writeFileSync(f, 'accounts:\n  "12": [x]\n');
          return f;
        })(),
        '--max-age',
        '90',
      ],
      /accounts key "12" is not a 12-digit AWS account id/,
    ],
    [
      'two inputs',
      ['preview', '--credential-reports', reports, '--credential-report', 'x.csv', '--max-age', '90'],
      /exactly one of --snapshot FILE\.json or --credential-report FILE\.csv, not both \(or --credential-reports DIR alone\)/,
    ],
  ] as const)('%s: exit 2, one line, nothing on stdout', async (_case, args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^[^\n]+\n$/);
    expect(stderr).toMatch(message);
  });
});
