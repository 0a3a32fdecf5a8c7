import { describe, expect, it } from 'vitest';
import { embeddedMetrics, errorLogFields, logFailure, type RunSummary } from '../../evaluator/observability';
import { collectingLogger } from './handler-fixtures';

const summary: RunSummary = {
  ruleName: 'rule',
  accountId: '222222222222',
  strategy: 'per-user',
  maxAgeDays: 90,
  exclusionEntries: 0,
  users: 0,
  compliant: 0,
  nonCompliant: 0,
  excluded: 0,
  notApplicable: 0,
  evaluationsPut: 0,
  iamCalls: { byOperation: { ListUsers: 1 }, total: 1 },
  configCalls: { byOperation: {}, total: 0 },
  durationMs: 42,
  testMode: false,
};

describe('observability', () => {
  it('declares every numeric EMF value as a metric and every metric has a value', () => {
    // Act
    const doc = embeddedMetrics(summary, new Date(0));
    // Assess
    const aws = doc._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] };
    const names = aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name) ?? [];
    expect(names).toEqual([
      'Users',
      'NonCompliant',
      'Excluded',
      'NotApplicable',
      'IamCalls',
      'IamCalls.ListUsers',
      'DurationMs',
    ]);
    for (const name of names) expect(typeof doc[name]).toBe('number');
    const numericKeys = Object.entries(doc)
      .filter(([, v]) => typeof v === 'number')
      .map(([k]) => k);
    expect(numericKeys.sort()).toEqual([...names].sort());
  });

  it('logs a failure as one JSON line with the cause chain', () => {
    // Prepare
    const logger = collectingLogger();
    const root = new Error('denied');
    root.name = 'AccessDeniedException';
    const error = new Error('could not read', { cause: new Error('middle', { cause: root }) });
    // Act
    logFailure(logger, error, { ruleName: 'rule' });
    // Assess
    expect(logger.lines).toHaveLength(1);
    expect(logger.json()[0]).toEqual({
      level: 'ERROR',
      message: 'evaluation run failed',
      errorName: 'Error',
      errorMessage: 'could not read',
      causes: ['Error: middle', 'AccessDeniedException: denied'],
      ruleName: 'rule',
    });
  });

  it('describes a thrown non-Error value', () => {
    expect(errorLogFields('boom')).toEqual({ errorName: 'NonError', errorMessage: 'boom' });
  });
});
