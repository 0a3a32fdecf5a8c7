import { describe, expect, it } from 'vitest';
import { PAUSE_PARAMETER_NAME } from '../../../../infra/rollout/contract';
import { pauseState, planPause } from '../../../../scripts/commands/pause/model';
import type { RolloutView } from '../../../../scripts/commands/pause/state';
import { applied } from './fixture';

const AT = '2025-08-27T02:00:00.000Z';
const PAUSED = {
  paused: true,
  by: 'arn:aws:sts::333333333333:assumed-role/Admin/alice',
  reason: 'incident 42',
  at: AT,
};

function view(over: Partial<RolloutView> = {}): RolloutView {
  return { pause: { paused: false }, pauseWritten: false, records: [], ...over };
}

describe('pauseState', () => {
  it('not paused, as last put: active', () => {
    expect(pauseState(view({ applied: applied(false, AT) }))).toEqual({
      paused: false,
      effect: 'in-effect',
      line: 'Revocation active (not paused)',
    });
  });

  it('paused and re-put after the pause was written: in effect, with who, when and why', () => {
    const s = pauseState(
      view({ pause: PAUSED, pauseWritten: true, applied: applied(true, '2025-08-27T02:01:00.000Z') }),
    );
    expect(s.effect).toBe('in-effect');
    expect(s.line).toBe(
      `Revocation PAUSED since ${AT} by ${PAUSED.by}: incident 42; in effect: the pack was re-put with automatic remediation off at 2025-08-27T02:01:00.000Z (each account once its pack shows UPDATE_SUCCESSFUL; failing accounts are listed as not covered)`,
    );
  });

  it.each([
    ['not re-put yet', applied(false, '2025-08-27T01:00:00.000Z')],
    ['re-put paused, but before this pause was written', applied(true, '2025-08-27T01:00:00.000Z')],
    ['never put', undefined],
  ])('paused, %s: pending', (_label, last) => {
    const s = pauseState(view({ pause: PAUSED, pauseWritten: true, ...(last ? { applied: last } : {}) }));
    expect(s.effect).toBe('pending');
    expect(s.line).toContain('not in effect yet');
  });

  it('resumed but the pack still carries the pause: pending', () => {
    const s = pauseState(
      view({ pause: { ...PAUSED, paused: false }, pauseWritten: true, applied: applied(true, AT) }),
    );
    expect(s).toMatchObject({ paused: false, effect: 'pending' });
    expect(s.line).toContain('Revocation resumed since');
  });

  it('a malformed parameter counts as paused and says why', () => {
    const s = pauseState(view({ pause: { paused: true }, pauseWritten: true, pauseWarning: 'not JSON' }));
    expect(s.paused).toBe(true);
    expect(s.line).toContain('(not JSON)');
  });
});

describe('planPause', () => {
  const request = { paused: true, by: 'me', reason: 'why', at: AT };

  it('writes the pause with who, why and when', () => {
    expect(planPause(view(), request)).toEqual({
      write: { paused: true, by: 'me', reason: 'why', at: AT },
      summary: `${PAUSE_PARAMETER_NAME}: not paused now -> {"paused":true,"by":"me","reason":"why","at":"${AT}"}`,
    });
  });

  it('nothing to write when the parameter already says so', () => {
    expect(planPause(view({ pause: PAUSED, pauseWritten: true }), request).write).toBeUndefined();
    expect(planPause(view(), { ...request, paused: false }).write).toBeUndefined();
  });

  it('rewrites a malformed parameter whichever way is asked', () => {
    const bad = view({ pause: { paused: true }, pauseWritten: true, pauseWarning: 'not JSON' });
    expect(planPause(bad, request).write?.paused).toBe(true);
    expect(planPause(bad, { ...request, paused: false }).write?.paused).toBe(false);
  });
});
