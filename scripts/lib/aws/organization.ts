import {
  DescribeOrganizationCommand,
  type OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { allItems, pagesOf } from './pages';

export interface OrgAccount {
  readonly id: string;
  readonly name: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE... only ACTIVE accounts are worked on. */
  readonly status: string;
}

/** Every account of the organization (ListAccounts, all pages), sorted by id. */
export async function listOrganizationAccounts(client: OrganizationsClient): Promise<OrgAccount[]> {
  const accounts = await allItems(paginateListAccounts(pagesOf(client), {}), (p) => p.Accounts);
  return accounts
    .flatMap((a) =>
      a.Id ? [{ id: a.Id, name: a.Name ?? '', status: String(a.State ?? a.Status ?? 'UNKNOWN') }] : [],
    )
    .sort((a, b) => a.id.localeCompare(b.id));
}

export function isActive(account: OrgAccount): boolean {
  return account.status === 'ACTIVE';
}

/** The management account, which a service-managed StackSet never reaches. */
export async function managementAccountId(client: OrganizationsClient): Promise<string | undefined> {
  const out = await client.send(new DescribeOrganizationCommand({}));
  return out?.Organization?.MasterAccountId;
}

/** Why the management account has no member pieces unless the account stack is deployed there. */
/** An account the organization pack's ExcludedAccounts leave out on purpose. */
export const EXCLUDED_NOTE = 'excluded from the deployment (pack ExcludedAccounts)';

export const MANAGEMENT_NOT_COVERED =
  'management account: not reached by the StackSet or the organization pack unless the account stack is deployed there (see "Single account")';
