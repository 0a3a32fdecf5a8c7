import {
  type ConfigServiceClient,
  DescribeOrganizationConformancePacksCommand,
} from '@aws-sdk/client-config-service';
import { ORG_CONFORMANCE_PACK_NAME } from '../../conformance-pack/names';
import { IamUnusedError } from '../../evaluator/errors';
import { ORGANIZATION_SERVICE_PRINCIPALS } from '../../infra/service-principals';
import { isAwsError } from '../lib/aws/errors';

/** The organization pack's ExcludedAccounts could not be read: no account's scope is known. */
export class PackScopeDeniedError extends IamUnusedError {}

/**
 * The organization pack's ExcludedAccounts (one call, in the delegated-admin account with the
 * caller's credentials), or undefined when the pack is not deployed in this region.
 */
export async function readPackExcludedAccounts(
  config: ConfigServiceClient,
): Promise<ReadonlySet<string> | undefined> {
  try {
    const out = await config.send(
      new DescribeOrganizationConformancePacksCommand({
        OrganizationConformancePackNames: [ORG_CONFORMANCE_PACK_NAME],
      }),
    );
    const pack = out.OrganizationConformancePacks?.find(
      (p) => p.OrganizationConformancePackName === ORG_CONFORMANCE_PACK_NAME,
    );
    return pack ? new Set(pack.ExcludedAccounts ?? []) : undefined;
  } catch (error) {
    if (isAwsError(error, 'NoSuchOrganizationConformancePackException')) return undefined;
    if (isAwsError(error, 'AccessDenied', 'AccessDeniedException', 'OrganizationAccessDeniedException'))
      throw new PackScopeDeniedError(
        `Cannot read the organization conformance pack ${ORG_CONFORMANCE_PACK_NAME} ` +
          `(DescribeOrganizationConformancePacks: ${oneLine(`${(error as Error).name}: ${(error as Error).message}`)}). ` +
          "Run it with the delegated-admin account's credentials (--profile) in the home region; that account " +
          `must be the delegated administrator for ${ORGANIZATION_SERVICE_PRINCIPALS.conformancePacks} ` +
          '(`iam-unused rollout`) and the caller needs config:DescribeOrganizationConformancePacks.',
        { cause: error },
      );
    throw error;
  }
}

/** AWS messages may carry line breaks (the error is printed as one line) and end in a period. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
}
