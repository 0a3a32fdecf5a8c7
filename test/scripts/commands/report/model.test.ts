import { describe, expect, it } from 'vitest';
import {
  buildComplianceReport,
  type ComplianceRow,
  complianceHasFindings,
  revokedNext,
} from '../../../../scripts/commands/report/model';
import { escapeHtml, renderComplianceHtml } from '../../../../scripts/commands/report/render';

const NOW = new Date('2025-08-27T00:00:00Z');
const row = (over: Partial<ComplianceRow>): ComplianceRow => ({
  accountId: '111111111111',
  accountName: 'a',
  region: 'eu-west-1',
  userId: 'AIDAEXAMPLE000000001',
  userName: 'u',
  compliance: 'COMPLIANT',
  annotation: '',
  excluded: false,
  ...over,
});

describe('revokedNext', () => {
  it('counts the days since the result was recorded and never goes below 0', () => {
    const rows = [
      row({
        userName: 'late',
        annotation: 'late: no credential unused for 90d or more; oldest password 88d',
        recordedAt: new Date('2025-08-20T00:00:00Z'),
      }),
      row({
        userName: 'soon',
        annotation: 'soon: no credential unused for 90d or more; oldest key AKIAX 80d',
        recordedAt: NOW,
      }),
      row({
        userName: 'nc',
        compliance: 'NON_COMPLIANT',
        annotation: 'nc: password 100d unused, limit 90d; will be revoked',
      }),
      row({ userName: 'ex', excluded: true, annotation: 'EXCLUDED ex by name entry "ex"' }),
      row({ userName: 'none', annotation: 'none: no console password and no active access key' }),
    ];
    expect(revokedNext(rows, NOW).map((r) => [r.userName, r.ageDays, r.daysLeft, r.credential])).toEqual([
      ['late', 95, 0, 'password'],
      ['soon', 80, 10, 'key AKIAX'],
    ]);
    expect(revokedNext(rows, NOW, 1)).toHaveLength(1);
  });

  it('rounds the days since recording up, so days left are never later than the runbook would act', () => {
    // Recorded 1.5 days ago at 85 whole days: the credential is now between 86.5 and 87.5 days old.
    const rows = [
      row({
        userName: 'half',
        annotation: 'half: no credential unused for 90d or more; oldest password 85d',
        recordedAt: new Date(NOW.getTime() - 1.5 * 24 * 60 * 60 * 1000),
      }),
    ];
    expect(revokedNext(rows, NOW).map((r) => [r.ageDays, r.daysLeft])).toEqual([[87, 3]]);
  });
});

describe('buildComplianceReport', () => {
  it('summarises each account, keeps failures, and filters rows only', () => {
    const report = buildComplianceReport(
      [
        { accountId: '222222222222', accountName: 'b', error: 'AccessDenied' },
        {
          accountId: '111111111111',
          accountName: 'a',
          rows: [
            row({ userName: 'x' }),
            row({ userName: 'y', compliance: 'NON_COMPLIANT' }),
            row({ userName: 'z', excluded: true }),
          ],
        },
      ],
      'organization',
      NOW,
      { nonCompliantOnly: true },
    );
    expect(report.accounts).toEqual([
      { accountId: '111111111111', accountName: 'a', users: 3, nonCompliant: 1, excluded: 1 },
      {
        accountId: '222222222222',
        accountName: 'b',
        users: 0,
        nonCompliant: 0,
        excluded: 0,
        error: 'AccessDenied',
      },
    ]);
    expect(report.rows.map((r) => r.userName)).toEqual(['y']);
    expect(complianceHasFindings(report)).toBe(true);
    expect(
      complianceHasFindings(buildComplianceReport([], 'account', NOW, { nonCompliantOnly: false })),
    ).toBe(false);
  });
});

describe('HTML', () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
  it('escapes annotations and names in the page', () => {
    const report = buildComplianceReport(
      [
        {
          accountId: '111111111111',
          accountName: '<img src=x>',
          rows: [row({ compliance: 'NON_COMPLIANT', annotation: '</td><script>' })],
        },
      ],
      'organization',
      NOW,
      { nonCompliantOnly: false },
    );
    const html = renderComplianceHtml(report);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;/td&gt;&lt;script&gt;');
  });
});
