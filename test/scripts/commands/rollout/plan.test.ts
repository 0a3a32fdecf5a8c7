import { describe, expect, it } from 'vitest';
import { ORGANIZATION_SERVICE_PRINCIPALS } from '../../../../infra/service-principals';
import { DEPLOYMENT_MODES, SETTING_KEYS } from '../../../../infra/setting-keys';
import {
  DEPLOY_CONTEXT_KEYS,
  deployCommand,
  isBlocked,
  type OrganizationFacts,
  planRollout,
  SERVICE_PRINCIPALS,
} from '../../../../scripts/commands/rollout/plan';

const facts = (over: Partial<OrganizationFacts> = {}): OrganizationFacts => ({
  featureSet: 'ALL',
  managementAccountId: '555555555555',
  callerAccountId: '555555555555',
  accountIds: new Set(['555555555555', '222222222222', '111111111111']),
  trustedPrincipals: new Set(),
  delegatedAdmins: new Map(),
  ...over,
});

describe('planRollout', () => {
  it('orders trusted access before registration, one action per missing piece', () => {
    const plan = planRollout(facts(), '222222222222');
    expect(plan.steps.filter((s) => s.action).map((s) => s.action)).toEqual([
      { kind: 'activate-stacksets-access' },
      { kind: 'enable-service-access', principal: ORGANIZATION_SERVICE_PRINCIPALS.conformancePacks },
      { kind: 'enable-service-access', principal: ORGANIZATION_SERVICE_PRINCIPALS.config },
      ...SERVICE_PRINCIPALS.map((principal) => ({
        kind: 'register-delegated-admin',
        principal,
        accountId: '222222222222',
      })),
    ]);
    expect(isBlocked(plan)).toBe(false);
  });

  it('does not infer an admin when the principals disagree', () => {
    const plan = planRollout(
      facts({
        delegatedAdmins: new Map([
          [ORGANIZATION_SERVICE_PRINCIPALS.stackSets, ['222222222222']],
          [ORGANIZATION_SERVICE_PRINCIPALS.conformancePacks, ['111111111111']],
          [ORGANIZATION_SERVICE_PRINCIPALS.config, ['222222222222']],
        ]),
      }),
      undefined,
    );
    expect(plan.delegatedAdmin).toBeUndefined();
    expect(isBlocked(plan)).toBe(true);
  });
});

describe('deployCommand', () => {
  it('passes each value under a setting key the CDK app reads, mode organization', () => {
    const command = deployCommand({
      delegatedAdmin: '222222222222',
      managementAccountId: '555555555555',
      region: 'eu-west-1',
      rootId: 'r-ab12',
      profile: 'security-admin',
    });
    const pairs = [...command.matchAll(/ -c (\w+)=(\S+)/g)].map((m) => [m[1], m[2]]);
    expect(pairs.map(([key]) => key)).toEqual([...DEPLOY_CONTEXT_KEYS]);
    for (const [key] of pairs) expect(SETTING_KEYS).toContain(key);
    expect(DEPLOYMENT_MODES).toContain(Object.fromEntries(pairs).mode);
    expect(Object.fromEntries(pairs)).toMatchObject({
      homeRegion: 'eu-west-1',
      delegatedAdminAccountId: '222222222222',
      managementAccountId: '555555555555',
      targetOrganizationalUnitIds: 'r-ab12',
    });
  });
});
