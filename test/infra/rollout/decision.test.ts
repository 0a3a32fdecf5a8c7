import { describe, expect, it } from 'vitest';
import type { AccountRecord } from '../../../infra/rollout/contract';
import { planReconciliation, recordsAfterPut } from '../../../infra/rollout/decision';
import { A, applied, at, B, C, desired, failed, none, observe, ok, policy, T0 } from './decision-fixtures';

describe('planReconciliation', () => {
  it('first deploy: no pack yet, so it puts the pack for the whole organization', () => {
    const plan = planReconciliation(
      { ...observe([]), packExists: false },
      none,
      undefined,
      desired,
      T0,
      policy,
    );
    expect(plan.put).toBe('pack-missing');
    expect(plan.records.size).toBe(0);
  });

  it('first deploy with one account failing: only that account is recorded and retried', () => {
    const obs = observe([ok(A), failed(B, 'NoAvailableConfigurationRecorderException'), ok(C)], {
      [B]: 'CURRENT',
    });
    const plan = planReconciliation(
      { ...obs, iamUsersRecorded: new Set([A, C]) },
      none,
      applied,
      desired,
      T0,
      policy,
    );
    expect(plan.coveredAccounts).toBe(2);
    expect([...plan.records.keys()]).toEqual([B]);
    expect(plan.records.get(B)).toMatchObject({ condition: 'no-recorder', attempts: 0, alarming: false });
    expect(plan.records.get(B)?.fix).toContain('configuration recorder in eu-west-1');
    expect(plan.put).toBe('accounts-due');
    expect(plan.dueAccounts).toEqual([B]);
  });

  it('a settings change while one account is failing still puts, for every healthy account', () => {
    const prior = recordsAfterPut(
      planReconciliation(
        observe([ok(A), failed(B, 'X')], { [B]: 'CURRENT' }),
        none,
        applied,
        desired,
        T0,
        policy,
      ),
      true,
      T0,
      policy,
    );
    const changed = { ...desired, specHash: 'h2' };
    const plan = planReconciliation(
      observe([ok(A), failed(B, 'X')], { [B]: 'CURRENT' }),
      prior,
      applied,
      changed,
      at(0.5),
      policy,
    );
    expect(plan.put).toBe('spec-changed');
    // B's backoff is not due: the put is for the change, and B keeps its attempt count.
    expect(plan.dueAccounts).toEqual([]);
    expect(plan.records.get(B)?.attempts).toBe(1);
  });

  it('a new account whose pack arrived before its evaluator waits, then is retried once the instance is CURRENT', () => {
    const member = failed(B, 'InsufficientPermissionsException');
    const waiting = planReconciliation(
      observe([ok(A), member], { [B]: 'OUTDATED' }),
      none,
      applied,
      desired,
      T0,
      policy,
    );
    expect(waiting.records.get(B)).toMatchObject({ condition: 'evaluator-missing', nextAttemptAt: null });
    expect(waiting.records.get(B)?.fix).toContain('StackSet instance is OUTDATED');
    expect(waiting.put).toBeUndefined();

    const ready = planReconciliation(
      observe([ok(A), member], { [B]: 'CURRENT' }),
      waiting.records,
      applied,
      desired,
      at(1),
      policy,
    );
    expect(ready.records.get(B)).toMatchObject({
      condition: 'pack-failed',
      attempts: 0,
      since: T0.toISOString(),
    });
    expect(ready.put).toBe('accounts-due');
    const after = recordsAfterPut(ready, true, at(1), policy);
    expect(after.get(B)).toMatchObject({
      attempts: 1,
      lastAttemptAt: at(1).toISOString(),
      nextAttemptAt: at(2).toISOString(),
    });
  });

  it('names a covered account whose recorder skips IAM users, without alarming or putting', () => {
    const plan = planReconciliation(
      observe([ok(A)], {}, { iamUsersRecorded: new Set() }),
      none,
      applied,
      desired,
      T0,
      policy,
    );
    expect(plan.records.get(A)).toMatchObject({ condition: 'iam-users-not-recorded', nextAttemptAt: null });
    expect(plan.put).toBeUndefined();
    const day = planReconciliation(
      observe([ok(A)], {}, { iamUsersRecorded: new Set() }),
      plan.records,
      applied,
      desired,
      at(48),
      policy,
    );
    expect(day.records.get(A)?.alarming).toBe(false);
  });

  it('a hinted account with a CURRENT instance but no pack is put; excluded and departed accounts are dropped', () => {
    const prior = new Map([[C, { accountId: C, condition: 'pack-failed' } as AccountRecord]]);
    const plan = planReconciliation(
      observe(
        [ok(A), { accountId: '555555555555', status: 'DELETE_SUCCESSFUL' }],
        { [B]: 'CURRENT', [C]: 'MISSING' },
        {
          hints: new Set([B, '666666666666']),
        },
      ),
      prior,
      applied,
      { ...desired, excludedAccounts: new Set(['666666666666']) },
      T0,
      policy,
    );
    expect([...plan.records.keys()]).toEqual([B]);
    expect(plan.records.get(B)?.condition).toBe('pack-missing');
    expect(plan.put).toBe('accounts-due');
  });

  it('keeps in-progress accounts as they were and puts again when the pause changes', () => {
    const plan = planReconciliation(
      observe([{ accountId: A, status: 'UPDATE_IN_PROGRESS' }]),
      none,
      applied,
      { ...desired, paused: true },
      T0,
      policy,
    );
    expect(plan.records.size).toBe(0);
    expect(plan.put).toBe('spec-changed');
  });
});
