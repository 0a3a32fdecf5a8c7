import { paginateListStackInstances } from '@aws-sdk/client-cloudformation';
import {
  type ConfigServiceClient,
  paginateDescribeConfigurationAggregators,
  paginateGetAggregateDiscoveredResourceCounts,
  paginateGetOrganizationConformancePackDetailedStatus,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import { AGGREGATOR_NAME, ORG_CONFORMANCE_PACK_NAME, STACKSET_NAME } from '../../../conformance-pack/names';
import type { AwsClients } from '../../lib/aws/clients';
import { describeFailure, isAwsError } from '../../lib/aws/errors';
import { allItems, pagesOf } from '../../lib/aws/pages';
import type { InstanceFacts, Listing, PackMemberFacts } from './preflight';
import type { AggregatorRead } from './recorder';

/**
 * The preflight's organization-wide reads, each whole or failed as a whole: a failed listing
 * makes its column `unknown` for every account (with the error), never a partial answer.
 */

/** Both APIs' largest page: 100 instances / pack members, 1,000 grouped counts. */
const PAGE = 100;
const COUNT_PAGE = 1000;

function failed(error: unknown): { kind: 'failed'; error: string } {
  return { kind: 'failed', error: describeFailure(error) };
}

/** A whole listing keyed by account; `absentError` means the thing is not deployed yet. */
async function listing<S, T>(
  read: () => Promise<S[]>,
  entryOf: (item: S) => readonly [string | undefined, T],
  absentError: string,
): Promise<Listing<T>> {
  try {
    const byAccount = new Map<string, T>();
    for (const item of await read()) {
      const [accountId, facts] = entryOf(item);
      if (accountId) byAccount.set(accountId, facts);
    }
    return { kind: 'read', byAccount };
  } catch (error) {
    return isAwsError(error, absentError) ? { kind: 'absent' } : failed(error);
  }
}

/**
 * The StackSet's instances in the home region. StackSets a delegated admin creates live in the
 * management account (CloudFormation API reference, CallAs): SELF there, DELEGATED_ADMIN elsewhere.
 */
export function readInstances(
  clients: AwsClients,
  region: string,
  callAs: 'SELF' | 'DELEGATED_ADMIN',
): Promise<Listing<InstanceFacts>> {
  return listing(
    () =>
      allItems(
        paginateListStackInstances(pagesOf(clients.cloudFormation), {
          StackSetName: STACKSET_NAME,
          StackInstanceRegion: region,
          CallAs: callAs,
          MaxResults: PAGE,
        }),
        (p) => p.Summaries,
      ),
    (s) => [
      s.Account,
      {
        status: String(s.Status ?? 'UNKNOWN'),
        ...(s.StackInstanceStatus?.DetailedStatus
          ? { detailedStatus: String(s.StackInstanceStatus.DetailedStatus) }
          : {}),
        ...(s.StatusReason ? { reason: s.StatusReason } : {}),
      },
    ],
    'StackSetNotFoundException',
  );
}

/** Every member's pack status (100 a page), or absent before the first deploy. */
export function readPackMembers(config: ConfigServiceClient): Promise<Listing<PackMemberFacts>> {
  return listing(
    () =>
      allItems(
        paginateGetOrganizationConformancePackDetailedStatus(pagesOf(config), {
          OrganizationConformancePackName: ORG_CONFORMANCE_PACK_NAME,
          Limit: PAGE,
        }),
        (p) => p.OrganizationConformancePackDetailedStatuses,
      ),
    (s) => [
      s.AccountId,
      {
        status: String(s.Status ?? 'UNKNOWN'),
        ...(s.ErrorCode ? { errorCode: s.ErrorCode } : {}),
        ...(s.ErrorMessage ? { errorMessage: s.ErrorMessage } : {}),
      },
    ],
    'NoSuchOrganizationConformancePackException',
  );
}

/**
 * The aggregator to read: `wanted` if named, else ours, else the first organization aggregator
 * (by name) that covers the home region; Control Tower and security teams often have one
 * before anything of ours is deployed.
 */
export async function chooseAggregator(
  config: ConfigServiceClient,
  region: string,
  wanted: string | undefined,
): Promise<{ name: string } | { none: string }> {
  const all = await allItems(
    paginateDescribeConfigurationAggregators(pagesOf(config), {}),
    (p) => p.ConfigurationAggregators,
  );
  const organizational = all
    .filter((a) => {
      const source = a.OrganizationAggregationSource;
      return source && (source.AllAwsRegions === true || (source.AwsRegions ?? []).includes(region));
    })
    .flatMap((a) => (a.ConfigurationAggregatorName ? [a.ConfigurationAggregatorName] : []))
    .sort();
  if (wanted !== undefined) {
    return organizational.includes(wanted)
      ? { name: wanted }
      : { none: `aggregator ${wanted} is not an organization aggregator covering ${region} in this account` };
  }
  const name = organizational.includes(AGGREGATOR_NAME) ? AGGREGATOR_NAME : organizational[0];
  return name === undefined
    ? {
        none: `no organization aggregator covering ${region} in this account (pass --admin-profile or --recorder-role)`,
      }
    : { name };
}

async function countsByAccount(
  config: ConfigServiceClient,
  aggregator: string,
  region: string,
  resourceType: ResourceType | undefined,
): Promise<Map<string, number>> {
  const groups = await allItems(
    paginateGetAggregateDiscoveredResourceCounts(pagesOf(config), {
      ConfigurationAggregatorName: aggregator,
      Filters: { Region: region, ...(resourceType ? { ResourceType: resourceType } : {}) },
      GroupByKey: 'ACCOUNT_ID',
      Limit: COUNT_PAGE,
    }),
    (p) => p.GroupedResourceCounts,
  );
  return new Map(groups.flatMap((g) => (g.GroupName ? [[g.GroupName, g.ResourceCount ?? 0] as const] : [])));
}

/**
 * IAM users per account in the home region, and which accounts record anything there: two
 * grouped counts, a few calls for any organization (GetAggregateDiscoveredResourceCounts).
 */
export async function readAggregator(
  config: ConfigServiceClient,
  region: string,
  wanted: string | undefined,
): Promise<AggregatorRead> {
  let chosen: { name: string } | { none: string };
  try {
    chosen = await chooseAggregator(config, region, wanted);
  } catch (error) {
    return { kind: 'none', why: `DescribeConfigurationAggregators failed: ${describeFailure(error)}` };
  }
  if ('none' in chosen) return { kind: 'none', why: chosen.none };
  try {
    const [iamUsers, any] = await Promise.all([
      countsByAccount(config, chosen.name, region, 'AWS::IAM::User'),
      countsByAccount(config, chosen.name, region, undefined),
    ]);
    const anyResource = new Set([...any].flatMap(([id, n]) => (n > 0 ? [id] : [])));
    return { kind: 'read', name: chosen.name, iamUsers, anyResource };
  } catch (error) {
    return { kind: 'failed', name: chosen.name, error: describeFailure(error) };
  }
}
