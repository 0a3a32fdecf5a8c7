import { describe, expect, it } from 'vitest';
import type { AccountRecord, AppliedRecord } from '../../../infra/rollout/contract';
import {
  accountsToCheck,
  type InstanceStatus,
  type MemberStatus,
  type Observation,
  planReconciliation,
  type RolloutPolicy,
  recordsAfterPut,
} from '../../../infra/rollout/decision';

const HOUR = 3_600_000;
const policy: RolloutPolicy = {
  homeRegion: 'eu-west-1',
  stackSetName: 'iam-unused-cleanup-member',
  alarmAfterMs: 24 * HOUR,
  backoffBaseMs: HOUR,
  backoffCapMs: 24 * HOUR,
};
const T0 = new Date('2026-12-01T00:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);
const A = '111111111111';
const B = '333333333333';
const C = '444444444444';

function observe(
  members: MemberStatus[],
  instances: Record<string, InstanceStatus> = {},
  extra: Partial<Observation> = {},
): Observation {
  return {
    packExists: true,
    members: new Map(members.map((m) => [m.accountId, m])),
    instances: new Map(Object.entries(instances)),
    iamUsersRecorded: new Set(members.map((m) => m.accountId)),
    hints: new Set(),
    ...extra,
  };
}
const ok = (accountId: string): MemberStatus => ({ accountId, status: 'CREATE_SUCCESSFUL' });
const failed = (accountId: string, errorCode: string): MemberStatus => ({
  accountId,
  status: 'CREATE_FAILED',
  errorCode,
  errorMessage: `${errorCode} in ${accountId}`,
});
const desired = { specHash: 'h1', paused: false, excludedAccounts: new Set<string>() };
const applied: AppliedRecord = { v: 1, specHash: 'h1', paused: false, putAt: T0.toISOString() };
const none = new Map<string, AccountRecord>();

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

  it('backs off exponentially, capped, and counts nothing when Config refused the put', () => {
    let records: ReadonlyMap<string, AccountRecord> = none;
    const nexts: string[] = [];
    let now = T0;
    for (let i = 0; i < 7; i += 1) {
      const plan = planReconciliation(
        observe([failed(B, 'X')], { [B]: 'CURRENT' }),
        records,
        applied,
        desired,
        now,
        policy,
      );
      expect(plan.put).toBe('accounts-due');
      records = recordsAfterPut(plan, true, now, policy);
      const next = records.get(B)?.nextAttemptAt as string;
      nexts.push(next);
      now = new Date(next);
    }
    const gaps = nexts.map(
      (n, i) => (Date.parse(n) - Date.parse(i === 0 ? T0.toISOString() : (nexts[i - 1] as string))) / HOUR,
    );
    expect(gaps).toEqual([1, 2, 4, 8, 16, 24, 24]);
    const notYet = planReconciliation(
      observe([failed(B, 'X')], { [B]: 'CURRENT' }),
      records,
      applied,
      desired,
      new Date(now.getTime() - 1),
      policy,
    );
    expect(notYet.put).toBeUndefined();
    const refused = recordsAfterPut(
      planReconciliation(
        observe([failed(B, 'X')], { [B]: 'CURRENT' }),
        records,
        applied,
        desired,
        now,
        policy,
      ),
      false,
      now,
      policy,
    );
    expect(refused.get(B)?.attempts).toBe(7);
  });

  it('an account without a recorder: retried with backoff, then afresh as soon as the aggregator sees its IAM users', () => {
    const member = failed(B, 'NoAvailableConfigurationRecorderException');
    const first = planReconciliation(
      observe([member], { [B]: 'CURRENT' }, { iamUsersRecorded: new Set() }),
      none,
      applied,
      desired,
      T0,
      policy,
    );
    const afterPut = recordsAfterPut(first, true, T0, policy);
    expect(afterPut.get(B)).toMatchObject({ condition: 'no-recorder', attempts: 1 });
    const seen = planReconciliation(
      observe([member], { [B]: 'CURRENT' }),
      afterPut,
      applied,
      desired,
      at(0.5),
      policy,
    );
    expect(seen.records.get(B)).toMatchObject({ condition: 'pack-failed', attempts: 0 });
    expect(seen.put).toBe('accounts-due');
  });

  it('raises the alarm flag once an account stays uncovered longer than the threshold', () => {
    const member = failed(B, 'InsufficientPermissionsException');
    const first = planReconciliation(
      observe([member], { [B]: 'MISSING' }),
      none,
      applied,
      desired,
      T0,
      policy,
    );
    expect(first.records.get(B)?.fix).toContain('excludedAccountIds');
    const later = planReconciliation(
      observe([member], { [B]: 'MISSING' }),
      first.records,
      applied,
      desired,
      at(24),
      policy,
    );
    expect(later.records.get(B)?.alarming).toBe(true);
    const before = planReconciliation(
      observe([member], { [B]: 'MISSING' }),
      first.records,
      applied,
      desired,
      at(23.9),
      policy,
    );
    expect(before.records.get(B)?.alarming).toBe(false);
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

describe('accountsToCheck', () => {
  it('looks at new failures, hints and record-only accounts, not at accounts waiting out their backoff', () => {
    const waiting = { accountId: B, errorCode: 'X', nextAttemptAt: at(5).toISOString() } as AccountRecord;
    const gone = { accountId: '777777777777', errorCode: null, nextAttemptAt: null } as AccountRecord;
    const ids = accountsToCheck(
      new Map([
        [A, failed(A, 'X')],
        [B, failed(B, 'X')],
        [C, ok(C)],
      ]),
      new Map([
        [B, waiting],
        ['777777777777', gone],
      ]),
      new Set(['888888888888', '999999999999']),
      new Set(['999999999999']),
      T0,
    );
    expect(ids).toEqual([A, '777777777777', '888888888888']);
    // A new error code makes a waiting account worth a look again.
    const changed = accountsToCheck(
      new Map([[B, failed(B, 'Y')]]),
      new Map([[B, waiting]]),
      new Set(),
      new Set(),
      T0,
    );
    expect(changed).toEqual([B]);
  });
});
