import { type ReportScaleResult, simulateReport } from './report-scale';

/** The targets for `report` at organization scale: a failed one makes the bench exit non-zero. */
export function reportTargetFailures(result: ReportScaleResult): string[] {
  const failures: string[] = [];
  if (result.aggregatorCalls > result.aggregatorCallsBound)
    failures.push(`report: ${result.aggregatorCalls} aggregator calls > ${result.aggregatorCallsBound}`);
  if (result.simulatedSeconds >= 120)
    failures.push(`report: ${result.simulatedSeconds} s simulated >= 120 s`);
  if (result.throttled > 0 || result.accountsFailed > 0)
    failures.push(`report: ${result.throttled} throttled calls, ${result.accountsFailed} accounts failed`);
  return failures;
}

/** 1,000 accounts x 100 users, the organization size the targets are stated for. */
export function simulateReportAtScale(): Promise<ReportScaleResult> {
  return simulateReport(1000, 100);
}
