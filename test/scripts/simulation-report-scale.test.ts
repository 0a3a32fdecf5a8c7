import { describe, expect, it } from 'vitest';
import { simulateReport } from '../../scripts/simulation/report-scale';
import { reportTargetFailures } from '../../scripts/simulation/report-targets';

describe('report against a rate-limited aggregator (virtual time)', () => {
  it('reads every account in one call per 100 users, plus the rule listing, and is never throttled', async () => {
    // Given 30 accounts of 250 users (3 pages each) and 150 rule rows (one page)
    // When
    const result = await simulateReport(30, 250);
    // Then
    expect(result.aggregatorCalls).toBe(30 * 3 + 1);
    expect(result.throttled).toBe(0);
    expect(result.accountsFailed).toBe(0);
    // 91 calls at 9 per second after a burst of 9, plus one call's latency
    expect(result.simulatedSeconds).toBeGreaterThanOrEqual(9);
    expect(result.simulatedSeconds).toBeLessThan(11);
    expect(reportTargetFailures(result)).toEqual([]);
  });

  it('is throttled when the CLI sends faster than the aggregator allows (the model bites)', async () => {
    // Given a client limit far above the aggregator's
    // When
    const result = await simulateReport(30, 250, { perSecond: 1000, burst: 1000 });
    // Then
    expect(result.throttled).toBeGreaterThan(0);
    expect(reportTargetFailures(result)).toContain(
      `report: ${result.throttled} throttled calls, ${result.accountsFailed} accounts failed`,
    );
  });

  it('names each missed target', () => {
    expect(
      reportTargetFailures({
        accounts: 1000,
        usersPerAccount: 100,
        aggregatorCalls: 1200,
        aggregatorCallsBound: 1100,
        throttled: 2,
        accountsFailed: 1,
        simulatedSeconds: 130,
      }),
    ).toEqual([
      'report: 1200 aggregator calls > 1100',
      'report: 130 s simulated >= 120 s',
      'report: 2 throttled calls, 1 accounts failed',
    ]);
  });
});
