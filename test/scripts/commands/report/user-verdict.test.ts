import { describe, expect, it } from 'vitest';
import { parseAnnotation } from '../../../../scripts/commands/report/annotation';
import type { ComplianceRow } from '../../../../scripts/commands/report/model';
import { userFromRow } from '../../../../scripts/commands/report/user-verdict';

/**
 * Structured fields read back from Config annotations, in both forms the evaluator writes: ages
 * (`password 120d`) and dates (`password last used 2025-01-02 ... [v1 N pw]`).
 */

const NOW = new Date('2025-08-27T03:00:00Z');
const RECORDED = new Date('2025-08-26T03:00:00Z');

function row(annotation: string, compliance = 'NON_COMPLIANT'): ComplianceRow {
  return {
    accountId: '111111111111',
    accountName: 'workloads',
    region: 'eu-west-1',
    userId: 'AIDAEXAMPLE000000001',
    userName: 'alice',
    compliance,
    annotation,
    recordedAt: RECORDED,
    excluded: annotation.startsWith('EXCLUDED'),
  };
}

describe('dated annotations', () => {
  it('reads a non-compliant one: the state token names what is revoked, the date gives days unused and revokeOn', () => {
    // Given
    const text =
      'alice: unused for 90d or more: password last used 2025-05-01, key AKIAEXAMPLE000000001 created 2025-01-10 (never used); will be revoked [v1 N pw AKIAEXAMPLE000000001]';
    // When
    const user = userFromRow(row(text), NOW);
    // Then
    expect(user.revoke).toEqual({ password: true, accessKeys: ['AKIAEXAMPLE000000001'] });
    expect(user.credentials).toEqual([
      {
        credential: 'password',
        accessKeyId: null,
        daysUnused: 118,
        neverUsed: false,
        stale: true,
        revokeOn: '2025-07-30',
      },
      {
        credential: 'accessKey',
        accessKeyId: 'AKIAEXAMPLE000000001',
        daysUnused: 229,
        neverUsed: true,
        stale: true,
        revokeOn: '2025-04-10',
      },
    ]);
    expect(user.revokeOn).toBe('2025-04-10');
    expect(user.excludedBy).toBeNull();
  });

  it('keeps what the token says when the text was truncated', () => {
    const parsed = parseAnnotation(
      'alice: unused for 90d or more: password last used 2025-05-01, key AKIA... [v1 N pw AKIAEXAMPLE000000009]',
    );
    expect(parsed.revoke).toEqual({ password: true, accessKeys: ['AKIAEXAMPLE000000009'] });
  });

  it('reads a compliant one: the oldest credential and its revoke date', () => {
    const text =
      'bob: no credential unused for 90d or more; oldest key AKIAEXAMPLE000000002 last used 2025-06-02, revoke on 2025-08-31 [v1 C]';
    const user = userFromRow(row(text, 'COMPLIANT'), NOW);
    expect(user.revoke).toEqual({ password: false, accessKeys: [] });
    expect(user.credentials).toEqual([
      {
        credential: 'accessKey',
        accessKeyId: 'AKIAEXAMPLE000000002',
        daysUnused: 86,
        neverUsed: false,
        stale: false,
        revokeOn: '2025-08-31',
      },
    ]);
    expect(user.revokeOn).toBe('2025-08-31');
  });

  it('reads an excluded one: the entry, and no revocation date', () => {
    const text =
      'EXCLUDED carol by UserId entry "AIDAEXAMPLE000000001"; would otherwise revoke password created 2024-01-01 (never used) (limit 90d) [v1 X]';
    const user = userFromRow(row(text, 'COMPLIANT'), NOW);
    expect(user.excludedBy).toEqual({ entry: 'AIDAEXAMPLE000000001', matchedBy: 'userId' });
    expect(user.revoke).toEqual({ password: false, accessKeys: [] });
    expect(user.credentials[0]?.stale).toBe(true);
    expect(user.revokeOn).toBeNull();
  });
});

describe('age annotations', () => {
  it('counts days unused from the earliest instant the age allows, so revokeOn is never late', () => {
    // 85 whole days when recorded one day before NOW: 86 now, stale on day 90 at the earliest.
    const user = userFromRow(
      row('bob: no credential unused for 90d or more; oldest key AKIAEXAMPLE000000002 85d', 'COMPLIANT'),
      NOW,
    );
    expect(user.credentials[0]).toMatchObject({ daysUnused: 86, stale: false, revokeOn: '2025-08-30' });
  });

  it('revokes what a non-compliant annotation names when it has no state token', () => {
    const user = userFromRow(
      row(
        'alice: password 120d, key AKIAEXAMPLE000000001 200d (never used) unused, limit 90d; will be revoked',
      ),
      NOW,
    );
    expect(user.revoke).toEqual({ password: true, accessKeys: ['AKIAEXAMPLE000000001'] });
    expect(user.credentials.map((c) => c.daysUnused)).toEqual([121, 201]);
  });

  it('leaves unknown fields null when the annotation names no limit', () => {
    const user = userFromRow(row('something else entirely', 'COMPLIANT'), NOW);
    expect(user.credentials).toEqual([]);
    expect(user.revokeOn).toBeNull();
    expect(user.excludedBy).toBeNull();
  });
});
