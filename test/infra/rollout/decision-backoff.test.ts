import { describe, expect, it } from 'vitest';
import type { AccountRecord } from '../../../infra/rollout/contract';
import { accountsToCheck, planReconciliation, recordsAfterPut } from '../../../infra/rollout/decision';
import {
  A,
  applied,
  at,
  B,
  C,
  desired,
  failed,
  HOUR,
  none,
  observe,
  ok,
  policy,
  T0,
} from './decision-fixtures';

describe('planReconciliation: backoff, recorder, alarm', () => {
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
