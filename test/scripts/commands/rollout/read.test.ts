import {
  DescribeOrganizationCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListRootsCommand,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ORGANIZATION_SERVICE_PRINCIPALS } from '../../../../infra/service-principals';
import { observe } from '../../../../scripts/commands/rollout/read';
import { awsClients } from '../../../../scripts/lib/aws/clients';
import { type AwsMocks, awsError, mockAws, organizationAccounts } from '../../../support/harness';

const MANAGEMENT = '555555555555';
const { config } = ORGANIZATION_SERVICE_PRINCIPALS;

let mocks: AwsMocks;
beforeEach(() => {
  mocks = mockAws();
  organizationAccounts(mocks, [[MANAGEMENT, 'management']]);
  mocks.sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: MANAGEMENT, Arn: `arn:aws:iam::${MANAGEMENT}:user/operator` });
  mocks.organizations.on(DescribeOrganizationCommand).resolves({
    Organization: { FeatureSet: 'ALL', MasterAccountId: MANAGEMENT },
  });
  mocks.organizations
    .on(ListAWSServiceAccessForOrganizationCommand)
    .resolves({ EnabledServicePrincipals: [] });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('rollout observe (SDK paginators)', () => {
  it('follows NextToken through ListDelegatedAdministrators and ListRoots, one token per request', async () => {
    // Given: the delegated admins for Config and the roots each come in two pages
    mocks.organizations
      .on(ListDelegatedAdministratorsCommand)
      .callsFake((input: { ServicePrincipal: string; NextToken?: string }) => {
        if (input.ServicePrincipal !== config) return { DelegatedAdministrators: [] };
        return input.NextToken === 'a2'
          ? { DelegatedAdministrators: [{ Id: '222222222222' }] }
          : { DelegatedAdministrators: [{ Id: '111111111111' }], NextToken: 'a2' };
      });
    mocks.organizations
      .on(ListRootsCommand)
      .callsFake((input: { NextToken?: string }) =>
        input.NextToken === 'r2' ? { Roots: [{ Id: 'r-second' }] } : { Roots: [], NextToken: 'r2' },
      );
    // When
    const facts = await observe(awsClients({}));
    // Then: every page is read, and each request carried its own token
    expect(facts.delegatedAdmins.get(config)).toEqual(['111111111111', '222222222222']);
    expect(facts.rootId).toBe('r-second');
    const rootTokens = mocks.organizations
      .commandCalls(ListRootsCommand)
      .map((c) => c.args[0].input.NextToken);
    expect(rootTokens).toEqual([undefined, 'r2']);
    const configTokens = mocks.organizations
      .commandCalls(ListDelegatedAdministratorsCommand)
      .filter((c) => c.args[0].input.ServicePrincipal === config)
      .map((c) => c.args[0].input.NextToken);
    expect(configTokens).toEqual([undefined, 'a2']);
  });

  it('rejects the whole read when a later page fails, rather than returning part of the list', async () => {
    // Given: the second page of the roots is denied
    mocks.organizations.on(ListDelegatedAdministratorsCommand).resolves({ DelegatedAdministrators: [] });
    mocks.organizations.on(ListRootsCommand).callsFake((input: { NextToken?: string }) => {
      if (input.NextToken) throw awsError('AccessDeniedException');
      return { Roots: [{ Id: 'r-first' }], NextToken: 'r2' };
    });
    // When / Then
    await expect(observe(awsClients({}))).rejects.toThrow(/AccessDeniedException/);
  });
});
