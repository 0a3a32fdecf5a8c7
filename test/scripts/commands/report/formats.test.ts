import { describe, expect, it } from 'vitest';
import { FILTER_SCRIPT } from '../../../../scripts/verdicts/html/filter-script';
import { runCli, totalCalls } from '../../../support/harness';
import { useFixtureOrganization } from './fixture';

const fixture = useFixtureOrganization();

describe('report (organization aggregator): CSV, HTML and bad usage', () => {
  it('writes CSV with quoted fields', async () => {
    // When
    const { stdout } = await runCli(['report', '--output', 'csv']);
    // Then
    const lines = stdout.split('\r\n');
    // The columns of the shared user shape (scripts/verdicts/user-csv.ts), in the JSON's order.
    expect(lines[0]).toBe(
      'account_id,account_name,region,user_name,user_id,compliance,excluded,excluded_by,revoke_password,' +
        'revoke_access_keys,password_days_unused,password_never_used,password_revoke_on,' +
        'access_keys_days_unused,access_keys_never_used,access_keys_revoke_on,revoke_on,annotation,recorded_at',
    );
    expect(lines).toContainEqual(
      expect.stringContaining('222222222222,"sandbox <eu> & ""co""",eu-west-1,dave,'),
    );
    expect(lines).toHaveLength(6 + 2);
  });

  it('writes one self-contained HTML page with every value escaped', async () => {
    // When
    const { stdout } = await runCli(['report', '--output', 'html']);
    // Then
    expect(stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(stdout).toContain('sandbox &lt;eu&gt; &amp; &quot;co&quot;');
    expect(stdout).not.toContain('<eu>');
    // Nothing to load: besides the one inline filter script (which names no address), no script,
    // link, src or href at all.
    const filterScript = `<script id="filter-script">${FILTER_SCRIPT}</script>`;
    expect(stdout).toContain(filterScript);
    expect(FILTER_SCRIPT).not.toMatch(/https?:|fetch|XMLHttpRequest|import\(|src|href/i);
    expect(stdout.replace(filterScript, '')).not.toMatch(/<script|<link|src=|href=/i);
    const nonCompliant = stdout.slice(
      stdout.indexOf('id="non-compliant"'),
      stdout.indexOf('id="revoked-next"'),
    );
    expect(nonCompliant).toContain('alice');
    expect(nonCompliant).toContain('dave');
    expect(nonCompliant).not.toContain('bob');
  });

  it.each([
    [['report', '--output', 'xml'], 'Allowed choices are table, json, csv, html'],
    [['report', '--region', 'eu-west-1 '], 'AWS region'],
    [['report', '--account', '1111'], '12-digit'],
    [['report', '--mode', 'account', '--account', '111111111111'], 'does not apply'],
    [['report', '--mode', 'org'], 'Allowed choices are organization, account'],
  ])('bad usage %j exits 2 with no AWS call', async (args, message) => {
    // When
    const { code, stderr } = await runCli(args);
    // Then
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(totalCalls(fixture.mocks)).toBe(0);
  });
});
