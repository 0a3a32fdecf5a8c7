import { describe, expect, it } from 'vitest';
import {
  buildPreflight,
  cdkJsonSnippet,
  type PreflightInput,
} from '../../../../scripts/commands/rollout/preflight';

const MANAGEMENT = '555555555555';

function input(over: Partial<PreflightInput> = {}): PreflightInput {
  return {
    homeRegion: 'eu-west-1',
    accounts: [
      { id: '111111111111', name: 'workloads' },
      { id: '222222222222', name: 'sandbox' },
      { id: '444444444444', name: 'data' },
      { id: '666666666666', name: 'vendor' },
    ],
    excluded: new Set([MANAGEMENT, '666666666666']),
    managementAccountId: MANAGEMENT,
    instances: {
      kind: 'read',
      byAccount: new Map([
        ['111111111111', { status: 'CURRENT', detailedStatus: 'SUCCEEDED' }],
        ['222222222222', { status: 'INOPERABLE', reason: 'hook rejected' }],
      ]),
    },
    pack: {
      kind: 'read',
      byAccount: new Map([
        ['111111111111', { status: 'CREATE_SUCCESSFUL' }],
        ['444444444444', { status: 'CREATE_FAILED', errorCode: 'NoAvailableConfigurationRecorderException' }],
      ]),
    },
    aggregator: {
      kind: 'read',
      name: 'agg',
      iamUsers: new Map([['111111111111', 2]]),
      anyResource: new Set(['111111111111', '222222222222', '444444444444', '666666666666']),
    },
    roles: new Map(),
    ...over,
  };
}

describe('buildPreflight', () => {
  it('proposes the accounts that cannot work yet, keeps today’s exclusions, leaves out the management account', () => {
    const p = buildPreflight(input());
    expect(p.accounts.map((a) => [a.accountId, a.recorder.answer, a.stackSetInstance, a.pack])).toEqual([
      ['111111111111', 'yes', 'CURRENT', 'CREATE_SUCCESSFUL'],
      ['222222222222', 'unknown', 'INOPERABLE', 'none'],
      ['444444444444', 'unknown', 'none', 'CREATE_FAILED (NoAvailableConfigurationRecorderException)'],
      ['666666666666', 'unknown', 'none', 'none'],
    ]);
    expect(p.accounts[1]?.blocker).toBe('StackSet instance INOPERABLE: hook rejected');
    expect(p.accounts[2]?.blocker).toContain('NoAvailableConfigurationRecorderException');
    expect(p.accounts[3]).toMatchObject({ excluded: true });
    expect(p.accounts[3]?.blocker).toBeUndefined();
    expect(p.propose).toEqual(['222222222222', '444444444444']);
    expect(p.excludedAccountIds).toEqual(['222222222222', '444444444444', '666666666666']);
    expect(cdkJsonSnippet(p)).toBe('"excludedAccountIds": ["222222222222","444444444444","666666666666"]');
  });

  it('a recorder that says no is a blocker; a pack error is not when the recorder records users', () => {
    const p = buildPreflight(
      input({
        roles: new Map([
          ['111111111111', { kind: 'read', roleName: 'R', recorders: [] }],
          [
            '444444444444',
            {
              kind: 'read',
              roleName: 'R',
              recorders: [
                { name: 'd', resourceTypes: ['AWS::IAM::User'], excludedResourceTypes: [], recording: true },
              ],
            },
          ],
        ]),
      }),
    );
    expect(p.accounts[0]?.blocker).toContain('AWS::IAM::User not recorded in eu-west-1');
    expect(p.accounts[2]?.blocker).toBeUndefined();
    expect(p.propose).toEqual(['111111111111', '222222222222']);
  });

  it('before anything is deployed: no StackSet, no pack, nothing proposed from them', () => {
    const p = buildPreflight(
      input({ instances: { kind: 'absent' }, pack: { kind: 'absent' }, excluded: new Set() }),
    );
    expect(
      p.accounts.every((a) => a.stackSetInstance === 'no StackSet yet' && a.pack === 'no pack yet'),
    ).toBe(true);
    expect(p.propose).toEqual([]);
  });

  it('unreadable listings show unknown; unreadable exclusions are said, not taken for none', () => {
    const p = buildPreflight(
      input({
        instances: { kind: 'failed', error: 'AccessDenied' },
        pack: { kind: 'failed', error: 'AccessDenied' },
        excluded: undefined,
      }),
    );
    expect(p.accounts.map((a) => a.stackSetInstance)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    expect(p.accounts.map((a) => a.pack)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    expect(p.excludedKnown).toBe(false);
    expect(p.accounts[3]?.excluded).toBe(false);
  });

  it('a home region that cannot record IAM: every account says no, but none is proposed (fix the region)', () => {
    const p = buildPreflight(input({ regionProblem: 'homeRegion "ca-west-1" cannot record' }));
    expect(p.accounts.filter((a) => !a.excluded).every((a) => a.recorder.answer === 'no')).toBe(true);
    expect(p.propose).toEqual([]);
  });
});
