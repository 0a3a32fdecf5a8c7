import { describe, expect, it } from 'vitest';
import {
  accountPackState,
  accountStackState,
  assessHealth,
  type ComponentState,
  lastError,
  orgPackState,
  type RuleState,
  stackInstancesState,
} from '../../../scripts/lib/health';

const OK: ComponentState = { present: true, summary: 'ok' };
const ABSENT: ComponentState = { present: false, summary: 'absent' };
const T1 = new Date('2025-08-26T00:00:00Z');
const T2 = new Date('2025-08-27T00:00:00Z');
const found = (
  facts: Partial<{ lastSuccessfulEvaluation: Date; lastFailedEvaluation: Date; lastErrorCode: string }>,
): RuleState => ({
  kind: 'found',
  facts: { ruleName: 'r', ...facts },
});
const health = (
  evaluator: ComponentState,
  pack: ComponentState,
  rule: RuleState,
  isManagementAccount = false,
) => assessHealth({ evaluator, pack, rule, isManagementAccount, evaluatorName: 'StackSet instance' });

describe('component states', () => {
  it('stack instances: CURRENT/SUCCEEDED is fine; anything else is a named problem', () => {
    expect(stackInstancesState([])).toEqual({ present: false, summary: 'absent' });
    expect(
      stackInstancesState([{ region: 'r', status: 'CURRENT', detailedStatus: 'SUCCEEDED' }]).problem,
    ).toBeUndefined();
    expect(stackInstancesState([{ region: 'r', status: 'INOPERABLE', reason: 'why' }]).problem).toBe(
      'StackSet instance r INOPERABLE: why',
    );
    expect(
      stackInstancesState([{ region: 'r', status: 'CURRENT', detailedStatus: 'RUNNING' }]).problem,
    ).toContain('RUNNING');
  });

  it.each([
    ['CREATE_SUCCESSFUL', true, false],
    ['UPDATE_SUCCESSFUL', true, false],
    ['UPDATE_FAILED', true, true],
    ['UPDATE_IN_PROGRESS', true, true],
    ['CREATE_FAILED', false, true],
    ['CREATE_IN_PROGRESS', false, true],
    ['DELETE_SUCCESSFUL', false, false],
  ])('org pack %s: present=%s problem=%s', (status, present, problem) => {
    const state = orgPackState({ status });
    expect(state.present).toBe(present);
    expect(state.problem !== undefined).toBe(problem);
  });

  it('account stack and pack states', () => {
    expect(accountStackState({ status: 'UPDATE_COMPLETE' }, 'S').problem).toBeUndefined();
    expect(accountStackState({ status: 'UPDATE_ROLLBACK_COMPLETE', reason: 'x' }, 'S').problem).toBe(
      'stack S UPDATE_ROLLBACK_COMPLETE (x)',
    );
    expect(accountPackState({ state: 'CREATE_FAILED' }, 'P').problem).toBe(
      'conformance pack P CREATE_FAILED',
    );
    expect(accountPackState(undefined, 'P').present).toBe(false);
  });
});

describe('assessHealth', () => {
  it('is healthy with both pieces and a successful last evaluation', () => {
    expect(health(OK, OK, found({ lastSuccessfulEvaluation: T2, lastFailedEvaluation: T1 }))).toEqual({
      healthy: true,
      problems: [],
    });
  });

  it('names a scope mismatch both ways', () => {
    expect(health(ABSENT, OK, { kind: 'not-checked' }).problems[0]).toMatch(/^pack without evaluator/);
    expect(health(ABSENT, OK, { kind: 'not-checked' }, true).problems[0]).toContain('management account');
    expect(health(OK, ABSENT, { kind: 'not-found' }).problems).toEqual([
      'evaluator without pack: the conformance pack has not reached this account',
    ]);
  });

  it('the management account without either piece is not covered by design, not a fault', () => {
    const h = health(ABSENT, ABSENT, { kind: 'not-checked' }, true);
    expect(h).toMatchObject({ healthy: true, problems: [] });
    expect(h.note).toContain('Single account');
    expect(health(ABSENT, ABSENT, { kind: 'not-checked' }, false).healthy).toBe(false);
    const failedPack = {
      present: false,
      summary: 'CREATE_FAILED',
      problem: 'conformance pack CREATE_FAILED',
    };
    expect(health(ABSENT, failedPack, { kind: 'not-checked' }).problems).toEqual([
      'no StackSet instance in this account',
      'conformance pack CREATE_FAILED',
    ]);
  });

  it('a failure newer than the last success is a problem with the error', () => {
    const rule = found({ lastSuccessfulEvaluation: T1, lastFailedEvaluation: T2, lastErrorCode: 'E' });
    expect(health(OK, OK, rule).problems[0]).toContain(
      'last evaluation failed at 2025-08-27T00:00:00.000Z: E',
    );
    expect(lastError(rule)).toBe('E');
    expect(
      lastError(found({ lastSuccessfulEvaluation: T2, lastFailedEvaluation: T1, lastErrorCode: 'E' })),
    ).toBe('-');
  });

  it('never evaluated, rule missing, rule unreadable', () => {
    expect(health(OK, OK, found({})).problems).toEqual(['the rule has not completed an evaluation yet']);
    expect(health(OK, OK, { kind: 'not-found' }).problems[0]).toContain('rule was not found');
    expect(health(OK, OK, { kind: 'unreadable', error: 'AccessDenied' }).problems).toEqual([
      'rule status unavailable: AccessDenied',
    ]);
  });
});
