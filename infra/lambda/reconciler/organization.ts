import {
  type CloudFormationClient,
  DescribeStackInstanceCommand,
  paginateListStackInstances,
} from '@aws-sdk/client-cloudformation';
import {
  type ConfigServiceClient,
  DeleteOrganizationConformancePackCommand,
  PutOrganizationConformancePackCommand,
  paginateGetAggregateDiscoveredResourceCounts,
  paginateGetOrganizationConformancePackDetailedStatus,
} from '@aws-sdk/client-config-service';
import pLimit from 'p-limit';
import { errorName as awsErrorName, errorMessage } from '../../../evaluator/error-text';
import { IamUnusedError } from '../../../evaluator/errors';
import type { InstanceStatus, MemberStatus } from '../../rollout/decision';
import type { PackPut } from '../../rollout/spec';

/**
 * Thin AWS reads and writes of the reconciler, in the delegated-admin account and home region.
 * Each listing is whole or throws: the decision never sees a partial organization.
 */

/** A read the reconciler needs failed after the SDK's retries: nothing is decided on partial data. */
export class RolloutReadError extends IamUnusedError {}
/** Config refused the organization pack for the whole organization (not a member failure). */
export class PackPutError extends IamUnusedError {}

const THROTTLED = ['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'LimitExceededException'];
/** Refusals that a later run may not meet: another deployment of the pack is still running. */
const BUSY = ['ResourceInUseException', ...THROTTLED];

function readError(call: string, cause: unknown, fix: string): RolloutReadError {
  const name = awsErrorName(cause) ?? 'Error';
  const hint = THROTTLED.includes(name) ? 'throttled after retries; the next run retries' : fix;
  return new RolloutReadError(`${call} failed (${name}): ${hint}.`, { cause });
}

const ADMIN_FIX =
  'run the reconciler in the delegated-admin account, registered for config-multiaccountsetup.amazonaws.com ' +
  'and member.org.stacksets.cloudformation.amazonaws.com (`iam-unused rollout`), and check its role';

/** Every member's pack status, 100 a page; exists=false when the organization pack is absent. */
export async function readMemberStatuses(
  config: ConfigServiceClient,
  packName: string,
): Promise<{ exists: boolean; members: Map<string, MemberStatus> }> {
  const members = new Map<string, MemberStatus>();
  try {
    const pages = paginateGetOrganizationConformancePackDetailedStatus(
      { client: config, pageSize: 100 },
      { OrganizationConformancePackName: packName },
    );
    for await (const page of pages) {
      for (const s of page.OrganizationConformancePackDetailedStatuses ?? []) {
        if (s.AccountId === undefined || s.Status === undefined) continue;
        members.set(s.AccountId, {
          accountId: s.AccountId,
          status: s.Status,
          errorCode: s.ErrorCode,
          errorMessage: s.ErrorMessage,
        });
      }
    }
  } catch (cause) {
    if (awsErrorName(cause) === 'NoSuchOrganizationConformancePackException') {
      return { exists: false, members: new Map() };
    }
    throw readError('GetOrganizationConformancePackDetailedStatus', cause, ADMIN_FIX);
  }
  return { exists: true, members };
}

/**
 * StackSet instance status of the given accounts in the home region: one DescribeStackInstance
 * each, or one listing of every instance (100 a page) when that costs fewer calls.
 */
export async function readInstanceStatuses(
  cloudformation: CloudFormationClient,
  stackSetName: string,
  region: string,
  accounts: readonly string[],
  listingPages: number,
): Promise<Map<string, InstanceStatus>> {
  const out = new Map<string, InstanceStatus>();
  if (accounts.length === 0) return out;
  const wanted = new Set(accounts);
  if (accounts.length > listingPages) {
    try {
      const pages = paginateListStackInstances(
        { client: cloudformation, pageSize: 100 },
        { StackSetName: stackSetName, StackInstanceRegion: region, CallAs: 'DELEGATED_ADMIN' },
      );
      for await (const page of pages) {
        for (const s of page.Summaries ?? []) {
          if (s.Account !== undefined && wanted.has(s.Account)) out.set(s.Account, instanceStatus(s.Status));
        }
      }
    } catch (cause) {
      throw readError('ListStackInstances', cause, ADMIN_FIX);
    }
    for (const id of accounts) if (!out.has(id)) out.set(id, 'MISSING');
    return out;
  }
  const limit = pLimit(4);
  await Promise.all(
    accounts.map((id) =>
      limit(async () => {
        try {
          const res = await cloudformation.send(
            new DescribeStackInstanceCommand({
              StackSetName: stackSetName,
              StackInstanceAccount: id,
              StackInstanceRegion: region,
              CallAs: 'DELEGATED_ADMIN',
            }),
          );
          out.set(id, instanceStatus(res.StackInstance?.Status));
        } catch (cause) {
          if (awsErrorName(cause) !== 'StackInstanceNotFoundException') {
            throw readError(`DescribeStackInstance for ${id}`, cause, ADMIN_FIX);
          }
          out.set(id, 'MISSING');
        }
      }),
    ),
  );
  return out;
}

function instanceStatus(status: string | undefined): InstanceStatus {
  return status === 'CURRENT' || status === 'OUTDATED' || status === 'INOPERABLE' ? status : 'MISSING';
}

/**
 * Accounts with at least one AWS::IAM::User recorded in the home region, from the organization
 * aggregator (grouped counts, up to 1,000 accounts a page). How the reconciler knows that an
 * account's recorder records IAM users where the runbook looks them up.
 */
export async function readIamUserAccounts(
  config: ConfigServiceClient,
  aggregatorName: string,
  region: string,
): Promise<Set<string>> {
  const out = new Set<string>();
  try {
    const pages = paginateGetAggregateDiscoveredResourceCounts(
      { client: config, pageSize: 1000 },
      {
        ConfigurationAggregatorName: aggregatorName,
        Filters: { ResourceType: 'AWS::IAM::User', Region: region },
        GroupByKey: 'ACCOUNT_ID',
      },
    );
    for await (const page of pages) {
      for (const g of page.GroupedResourceCounts ?? []) {
        if (g.GroupName !== undefined && (g.ResourceCount ?? 0) > 0) out.add(g.GroupName);
      }
    }
  } catch (cause) {
    throw readError(
      'GetAggregateDiscoveredResourceCounts',
      cause,
      `check that the aggregator ${aggregatorName} exists in ${region} (it is part of the delegated-admin stack)`,
    );
  }
  return out;
}

export type PutOutcome = { readonly accepted: true } | { readonly accepted: false; readonly reason: string };

/** One organization-wide put: Config deploys it to every member and keeps going past failures. */
export async function putOrganizationPack(
  config: ConfigServiceClient,
  packName: string,
  put: PackPut,
): Promise<PutOutcome> {
  try {
    await config.send(
      new PutOrganizationConformancePackCommand({
        OrganizationConformancePackName: packName,
        TemplateBody: put.templateBody,
        ExcludedAccounts: [...put.excludedAccounts],
      }),
    );
    return { accepted: true };
  } catch (cause) {
    const name = awsErrorName(cause) ?? 'Error';
    if (BUSY.includes(name)) return { accepted: false, reason: `${name}: the next run puts again` };
    throw new PackPutError(
      `PutOrganizationConformancePack ${packName} was refused (${name}: ${errorMessage(cause)}). ` +
        (name.includes('AccessDenied')
          ? `Fix: ${ADMIN_FIX}.`
          : 'Fix the settings it names (or report the template error as a bug) and deploy again.'),
      { cause },
    );
  }
}

/** Removes the organization pack (uninstall); absent already counts as removed. */
export async function deleteOrganizationPack(config: ConfigServiceClient, packName: string): Promise<void> {
  try {
    await config.send(
      new DeleteOrganizationConformancePackCommand({ OrganizationConformancePackName: packName }),
    );
  } catch (cause) {
    if (awsErrorName(cause) === 'NoSuchOrganizationConformancePackException') return;
    throw new PackPutError(
      `DeleteOrganizationConformancePack ${packName} failed (${awsErrorName(cause)}): retry the stack deletion; ` +
        `if it keeps failing, delete it with \`aws configservice delete-organization-conformance-pack --organization-conformance-pack-name ${packName}\`.`,
      { cause },
    );
  }
}
