import {
  DescribeOrganizationCommand,
  type OrganizationsClient,
  paginateListAWSServiceAccessForOrganization,
  paginateListDelegatedAdministrators,
  paginateListRoots,
} from '@aws-sdk/client-organizations';
import type { AwsClients } from '../../lib/aws/clients';
import { listOrganizationAccounts } from '../../lib/aws/organization';
import { allItems, pagesOf } from '../../lib/aws/pages';
import { type OrganizationFacts, SERVICE_PRINCIPALS, type ServicePrincipal } from './plan';

/** What the organization has now: feature set, trusted access, delegated administrators, root. */
export async function observe(clients: AwsClients): Promise<OrganizationFacts & { rootId: string }> {
  const org: OrganizationsClient = clients.organizations;
  const [described, caller, accounts, trusted, roots] = await Promise.all([
    org.send(new DescribeOrganizationCommand({})),
    clients.callerIdentity(),
    listOrganizationAccounts(org),
    allItems(
      paginateListAWSServiceAccessForOrganization(pagesOf(org), {}),
      (p) => p.EnabledServicePrincipals,
    ),
    allItems(paginateListRoots(pagesOf(org), {}), (p) => p.Roots),
  ]);
  const delegated = new Map<ServicePrincipal, string[]>();
  for (const principal of SERVICE_PRINCIPALS) {
    const admins = await allItems(
      paginateListDelegatedAdministrators(pagesOf(org), { ServicePrincipal: principal }),
      (p) => p.DelegatedAdministrators,
    );
    delegated.set(
      principal,
      admins.flatMap((a) => (a.Id ? [a.Id] : [])),
    );
  }
  return {
    featureSet: String(described.Organization?.FeatureSet ?? 'UNKNOWN'),
    managementAccountId: described.Organization?.MasterAccountId ?? '',
    callerAccountId: caller.accountId,
    accountIds: new Set(accounts.map((a) => a.id)),
    trustedPrincipals: new Set(trusted.flatMap((p) => (p.ServicePrincipal ? [p.ServicePrincipal] : []))),
    delegatedAdmins: delegated,
    rootId: roots[0]?.Id ?? '',
  };
}
