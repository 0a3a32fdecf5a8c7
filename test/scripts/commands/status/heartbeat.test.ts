import { DescribeConfigRulesCommand } from '@aws-sdk/client-config-service';
import { describe, expect, it } from 'vitest';
import { memberRuleNamePrefix } from '../../../../conformance-pack/names';
import { frequencyMs, heartbeatProblems, lastRunCell } from '../../../../scripts/commands/status/heartbeat';
import { accountOf, awsError, NOW, runCli } from '../../../support/harness';
import {
  HEALTHY_PAIR,
  heartbeatAt,
  install,
  installHeartbeats,
  json,
  mocks,
  OK_TIME,
  useMocks,
} from './fixture';

useMocks();

const now = new Date(NOW);

describe('status: the evaluator heartbeat', () => {
  it('a fresh heartbeat keeps the account healthy and shows the last successful run', async () => {
    // Given
    install(mocks, HEALTHY_PAIR);
    // When
    const { code, rows } = await json();
    // Then
    expect(code).toBe(0);
    expect(rows[0]?.heartbeat).toMatchObject({
      kind: 'found',
      heartbeat: { lastOkTime: OK_TIME.toISOString() },
    });
  });

  it('flags a last successful run older than twice the rule frequency (24 h by default), exit 1', async () => {
    // Given
    install(mocks, HEALTHY_PAIR);
    installHeartbeats({ '222222222222': heartbeatAt(new Date('2025-08-25T02:59:00Z')) });
    // When
    const { code, rows } = await json();
    // Then
    expect(code).toBe(1);
    expect(rows[0]?.healthy).toBe(true);
    expect(rows[1]?.healthy).toBe(false);
    expect(rows[1]?.problems).toEqual([
      expect.stringContaining(
        'last successful run 2025-08-25T02:59:00.000Z is older than twice the rule frequency (TwentyFour_Hours',
      ),
    ]);
    expect(rows[1]?.problems[0]).toContain('reserved concurrency');
  });

  it("uses the rule's own MaximumExecutionFrequency", async () => {
    // Given: One_Hour, and the last good run 2.5 h ago.
    install(mocks, HEALTHY_PAIR);
    mocks.config.on(DescribeConfigRulesCommand).callsFake(async (_input, getClient) => ({
      ConfigRules: [
        {
          ConfigRuleName: `${memberRuleNamePrefix()}${(await accountOf(getClient)).slice(0, 4)}`,
          Source: {
            Owner: 'CUSTOM_LAMBDA',
            SourceDetails: [{ MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'One_Hour' }],
          },
        },
      ],
    }));
    installHeartbeats({
      '111111111111': heartbeatAt(new Date('2025-08-27T01:30:00Z')),
      '222222222222': heartbeatAt(new Date('2025-08-27T00:30:00Z')),
    });
    // When
    const { rows } = await json();
    // Then
    expect(rows[0]?.healthy).toBe(true);
    expect(rows[1]?.problems).toEqual([expect.stringContaining('twice the rule frequency (One_Hour)')]);
  });

  it('a missing heartbeat is a problem naming what may have silenced the evaluator', async () => {
    // Given
    install(mocks, HEALTHY_PAIR);
    installHeartbeats({ '111111111111': 'missing' });
    // When
    const { code, rows } = await json();
    // Then
    expect(code).toBe(1);
    expect(rows[0]?.heartbeat).toEqual({ kind: 'missing' });
    expect(rows[0]?.problems).toEqual([
      expect.stringContaining('no heartbeat (/iam-unused-user-cleanup/heartbeat)'),
    ]);
  });

  it('an unreadable heartbeat (AccessDenied) names the permission the exclusions role needs; the rest of the row stays', async () => {
    // Given
    install(mocks, HEALTHY_PAIR);
    installHeartbeats({
      '111111111111': awsError('AccessDeniedException', 'not authorized to perform ssm:GetParameter'),
    });
    // When
    const { code, rows } = await json();
    // Then
    expect(code).toBe(1);
    expect(rows[0]?.rule.kind).toBe('found');
    expect(rows[0]?.problems).toEqual([
      expect.stringMatching(
        /^heartbeat unreadable: AccessDeniedException: .*ssm:GetParameter on \/iam-unused-user-cleanup\/heartbeat/,
      ),
    ]);
    expect(rows[1]?.healthy).toBe(true);
  });

  it('a heartbeat in another format is unreadable, not trusted', async () => {
    // Given
    install(mocks, HEALTHY_PAIR);
    installHeartbeats({ '111111111111': heartbeatAt(OK_TIME, { schema: 2 as 1 }) });
    // When
    const { rows } = await json();
    // Then
    expect(rows[0]?.problems[0]).toContain('heartbeat unreadable');
    expect(rows[0]?.problems[0]).toContain('schema');
  });

  it('shows a failed last run and the exclusion entries that match no user, with the fix', async () => {
    // Given
    install(mocks, HEALTHY_PAIR);
    installHeartbeats({
      '111111111111': heartbeatAt(OK_TIME, {
        ok: false,
        time: '2025-08-27T02:00:00.000Z',
        error: { name: 'InvalidExclusionListError', message: 'bad entry "a b"' },
      }),
      '222222222222': heartbeatAt(OK_TIME, {
        unmatchedEntries: ['breakglas', 'AIDAOLDUSER000000001'],
        unmatchedCount: 30,
      }),
    });
    // When
    const { stdout, code } = await json();
    const table = await runCli(['status']);
    // Then
    expect(code).toBe(1);
    const rows = JSON.parse(stdout).accounts;
    expect(rows[0].problems).toEqual([
      expect.stringContaining(
        'the last run (2025-08-27T02:00:00.000Z) failed: InvalidExclusionListError: bad entry "a b"',
      ),
    ]);
    expect(rows[1].problems).toEqual([
      expect.stringContaining(
        '30 exclusion entries match no user and protect nobody: breakglas, AIDAOLDUSER000000001 and 28 more',
      ),
    ]);
    expect(rows[1].problems[0]).toContain(
      'iam-unused exclusions remove --account 222222222222 <entry> --apply',
    );
    expect(table.stdout).toMatch(
      /111111111111\s+workloads\s+.*2025-08-27T01:00:00.000Z \(last run failed\)\s+NOT HEALTHY/,
    );
  });
});

describe('heartbeat verdicts, pure', () => {
  it('reads the frequency, falling back to Config default for an absent or unknown one', () => {
    expect(frequencyMs('Three_Hours')).toBe(3 * 3600 * 1000);
    expect(frequencyMs(undefined)).toBe(24 * 3600 * 1000);
    expect(frequencyMs('Every_Minute')).toBe(24 * 3600 * 1000);
  });

  it('a heartbeat that never had a successful run is stale', () => {
    const problems = heartbeatProblems(
      {
        kind: 'found',
        heartbeat: heartbeatAt(OK_TIME, { lastOkTime: null, ok: false, error: { name: 'E', message: 'm' } }),
      },
      'One_Hour',
      now,
      '111111111111',
    );
    expect(problems[0]).toContain('last successful run never');
    expect(problems[1]).toContain('failed: E: m');
  });

  it('just inside twice the frequency is fresh; one entry reads in the singular', () => {
    const fresh = heartbeatAt(new Date(now.getTime() - 2 * 3600 * 1000), {
      unmatchedEntries: ['x'],
      unmatchedCount: 1,
    });
    expect(heartbeatProblems({ kind: 'found', heartbeat: fresh }, 'One_Hour', now, '1')).toEqual([
      expect.stringMatching(/^1 exclusion entry matches no user and protects nobody: x;/),
    ]);
    expect(heartbeatProblems({ kind: 'not-checked' }, undefined, now, '1')).toEqual([]);
    expect(lastRunCell({ kind: 'missing' })).toBe('no heartbeat');
    expect(lastRunCell({ kind: 'not-checked' })).toBe('-');
  });
});
