import { GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { awsError, runCli } from '../../../support/harness';
import { jsonReport, useFixtureOrganization } from '../report/fixture';
import { applied, installRolloutParameters } from './fixture';

/** `report` (organization mode) shows the pause; it says nothing extra while revocation runs. */

const fixture = useFixtureOrganization();
const PAUSE = JSON.stringify({
  paused: true,
  by: 'alice',
  reason: 'incident 42',
  at: '2025-08-27T01:00:00.000Z',
});

describe('report and the pause', () => {
  it('not paused: no pause line, pause null in JSON', async () => {
    installRolloutParameters(fixture.mocks, { applied: applied(false, '2025-08-26T00:00:00.000Z') });
    const table = await runCli(['report']);
    expect(table.stdout).toMatch(/^Accounts\n/);
    const { report } = await jsonReport();
    expect((report as unknown as { pause: unknown }).pause).toBeNull();
  });

  it('paused: the first line of the table and the JSON say so, with who and why', async () => {
    installRolloutParameters(fixture.mocks, {
      pause: PAUSE,
      applied: applied(true, '2025-08-27T01:02:00.000Z'),
    });
    const table = await runCli(['report']);
    expect(table.stdout).toMatch(
      /^Revocation PAUSED since 2025-08-27T01:00:00.000Z by alice: incident 42; in effect: .*\n\nAccounts\n/,
    );
    const { report } = await jsonReport();
    expect((report as unknown as { pause: string }).pause).toContain('Revocation PAUSED');
  });

  it('an unreadable pause state is said, not taken for "not paused"; the report itself still comes', async () => {
    fixture.mocks.ssm.on(GetParametersByPathCommand).rejects(awsError('AccessDeniedException', 'no'));
    const { report, code } = await jsonReport();
    expect(code).toBe(1);
    expect((report as unknown as { pause: string }).pause).toContain(
      'Pause state unknown (AccessDeniedException: no',
    );
    expect(report.users.length).toBeGreaterThan(0);
  });

  it('--mode account does not read the pause (no reconciler there)', async () => {
    await runCli(['report', '--mode', 'account']);
    expect(fixture.mocks.ssm.commandCalls(GetParametersByPathCommand)).toHaveLength(0);
  });
});
