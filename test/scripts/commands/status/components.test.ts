import { describe, expect, it } from 'vitest';
import {
  accountPackState,
  accountStackState,
  orgPackState,
  stackInstancesState,
} from '../../../../scripts/commands/status/components';

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
    ['DELETE_IN_PROGRESS', true, true],
  ])('org pack %s: present=%s problem=%s', (status, present, problem) => {
    const state = orgPackState({ status });
    expect(state.present).toBe(present);
    expect(state.problem !== undefined).toBe(problem);
  });

  it('org pack in an excluded account: only its removal in progress changes, other failures stay', () => {
    expect(orgPackState({ status: 'DELETE_IN_PROGRESS' }, true)).toEqual({
      present: true,
      summary: 'DELETE_IN_PROGRESS',
    });
    expect(orgPackState({ status: 'DELETE_FAILED', errorCode: 'E' }, true).problem).toBe(
      'conformance pack DELETE_FAILED (E)',
    );
    expect(orgPackState(undefined, true)).toEqual({ present: false, summary: 'absent' });
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
