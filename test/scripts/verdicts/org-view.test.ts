import { describe, expect, it } from 'vitest';
import { renderOrgHtml } from '../../../scripts/verdicts/html/page';
import {
  type AccountInput,
  buildOrgView,
  dueWithin,
  type OrgInput,
} from '../../../scripts/verdicts/org-view';
import type { UserVerdict } from '../../../scripts/verdicts/user-verdict';

/** The organization view: figures, attention order and chart series, from plain inputs. */

const NOW = new Date('2025-08-27T03:00:00Z');

function user(accountId: string, name: string, rest: Partial<UserVerdict> = {}): UserVerdict {
  return {
    accountId,
    accountName: '',
    region: null,
    userName: name,
    userId: `AIDA${name.toUpperCase().padEnd(16, 'X')}`,
    compliance: 'COMPLIANT',
    excluded: false,
    excludedBy: null,
    revoke: { password: false, accessKeys: [] },
    credentials: [],
    revokeOn: null,
    annotation: '',
    recordedAt: null,
    ...rest,
  };
}

const account = (accountId: string, state: AccountInput['state'] = 'covered'): AccountInput => ({
  accountId,
  accountName: `name-${accountId}`,
  state,
  lastRunAt: new Date('2025-08-26T03:00:00Z'),
});

function input(accounts: AccountInput[], users: UserVerdict[]): OrgInput {
  return {
    title: 't',
    source: 's',
    generatedAt: NOW,
    maxAgeDays: 90,
    remediationMode: null,
    unmatchedExclusions: null,
    accounts,
    users,
  };
}

const stale = (a: string, n: string) => user(a, n, { compliance: 'NON_COMPLIANT', revokeOn: '2025-06-01' });
const dueOn = (a: string, n: string, day: string) => user(a, n, { revokeOn: day });

describe('buildOrgView', () => {
  it('orders accounts: not read, then most non-compliant, then most due soon, then clean, then out of scope', () => {
    // Given
    const view = buildOrgView(
      input(
        [
          account('111111111111'),
          account('222222222222'),
          account('333333333333', 'failing'),
          account('444444444444', 'out-of-scope'),
          account('555555555555'),
          account('666666666666'),
        ],
        [
          stale('111111111111', 'a'),
          stale('222222222222', 'b'),
          stale('222222222222', 'c'),
          dueOn('555555555555', 'd', '2025-08-30'),
          dueOn('666666666666', 'e', '2025-09-20'),
        ],
      ),
    );
    // Then
    expect(view.accounts.map((a) => [a.accountId, a.attention])).toEqual([
      ['333333333333', 'not-read'],
      ['222222222222', 'revoking'],
      ['111111111111', 'revoking'],
      ['555555555555', 'due-soon'],
      ['666666666666', 'clean'],
      ['444444444444', 'out-of-scope'],
    ]);
    expect(view.summary).toMatchObject({
      accountsCovered: 4,
      accountsFailing: 1,
      accountsOutOfScope: 1,
      users: 5,
      nonCompliant: 3,
      due7: 1,
      due30: 2,
      unmatchedExclusions: null,
      oldestLastRun: new Date('2025-08-26T03:00:00Z'),
    });
    expect(view.topNonCompliant.map((a) => a.accountId)).toEqual(['222222222222', '111111111111']);
    expect(view.revocationsPerDay).toHaveLength(31);
    expect(view.revocationsPerDay.find((d) => d.day === '2025-08-30')?.users).toBe(1);
  });

  it('never counts excluded or non-compliant users as due', () => {
    expect(dueWithin(user('1', 'x', { excluded: true, revokeOn: '2025-08-28' }), '2025-08-27', 7)).toBe(
      false,
    );
    expect(dueWithin(stale('1', 'y'), '2025-08-27', 7)).toBe(false);
    expect(dueWithin(dueOn('1', 'z', '2025-09-03'), '2025-08-27', 7)).toBe(true);
    expect(dueWithin(dueOn('1', 'z', '2025-09-04'), '2025-08-27', 7)).toBe(false);
  });

  it('says unknown for what the source cannot know, and escapes every value', () => {
    const html = renderOrgHtml(
      buildOrgView(
        input([{ ...account('111111111111'), accountName: '<b>x</b>' }], [stale('111111111111', 'a')]),
      ),
    );
    expect(html).toContain(
      'data-figure="unmatched-exclusions"><dt>Exclusion entries matching nobody</dt><dd class="text">unknown</dd>',
    );
    expect(html).toContain(
      'data-figure="remediation-mode"><dt>Remediation mode</dt><dd class="text">unknown</dd>',
    );
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<b>x</b>');
  });
});
