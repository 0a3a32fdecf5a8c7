import {
  DescribeOrganizationCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListRootsCommand,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { type AccountSpec, type AwsMocks, organizationAccounts } from '../../../support/harness';

/** Shared builders for the `iam-unused rollout` tests (prerequisite steps and preflight). */

export const MANAGEMENT = '555555555555';
export const ADMIN = '222222222222';

export interface OrgState {
  featureSet?: string;
  caller?: string;
  trusted?: string[];
  admins?: Partial<Record<string, string[]>>;
}

/** The management account's view of the organization for `iam-unused rollout`. */
export function install(
  mocks: AwsMocks,
  state: OrgState = {},
  accounts: readonly AccountSpec[] = [
    [MANAGEMENT, 'management'],
    ['111111111111', 'workloads'],
    [ADMIN, 'security'],
  ],
): void {
  organizationAccounts(mocks, accounts);
  mocks.sts.on(GetCallerIdentityCommand).resolves({
    Account: state.caller ?? MANAGEMENT,
    Arn: `arn:aws:iam::${state.caller ?? MANAGEMENT}:user/operator`,
  });
  mocks.organizations.on(DescribeOrganizationCommand).resolves({
    Organization: { FeatureSet: (state.featureSet ?? 'ALL') as 'ALL', MasterAccountId: MANAGEMENT },
  });
  const trusted = state.trusted ?? [];
  // Two pages: the first holds an unrelated service.
  mocks.organizations
    .on(ListAWSServiceAccessForOrganizationCommand)
    .callsFake((input: { NextToken?: string }) =>
      input.NextToken
        ? { EnabledServicePrincipals: trusted.map((ServicePrincipal) => ({ ServicePrincipal })) }
        : { EnabledServicePrincipals: [{ ServicePrincipal: 'sso.amazonaws.com' }], NextToken: 'p2' },
    );
  mocks.organizations
    .on(ListDelegatedAdministratorsCommand)
    .callsFake((input: { ServicePrincipal: string }) => ({
      DelegatedAdministrators: (state.admins?.[input.ServicePrincipal] ?? []).map((Id) => ({ Id })),
    }));
  mocks.organizations.on(ListRootsCommand).resolves({ Roots: [{ Id: 'r-ab12' }] });
}
