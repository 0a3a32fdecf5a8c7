import { type ConfigServiceClient, ListDiscoveredResourcesCommand } from '@aws-sdk/client-config-service';
import { GetUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import { IAM_USER_RESOURCE_TYPE } from '../aws/config-evaluations';
import { errorMessage, errorName } from '../error-text';
import { IamUnusedError } from '../errors';
import type { LiveUser } from '../facts/iam-live';
import type { CallCounter } from '../facts/types';

/** The lookup of the user to check failed: nothing may be revoked on a guess. */
export class CheckLookupError extends IamUnusedError {}

/**
 * Config's inventory names a different user than the one behind the resource id (the user was
 * renamed and the name reused): the runbook would act on the wrong user, so the check fails.
 */
export class UserIdentityMismatchError extends IamUnusedError {}

function failure(operation: string, subject: string, cause: unknown): CheckLookupError {
  return new CheckLookupError(
    `${operation} failed for ${subject} (${errorName(cause)}: ` +
      `${errorMessage(cause)}); nothing was revoked. ` +
      `Check that the check function's role allows ${operation === 'ListDiscoveredResources' ? 'config' : 'iam'}:${operation}, ` +
      'then let the remediation retry.',
    { cause },
  );
}

/**
 * Finds the user behind a Config resource id exactly as the runbook does (ListDiscoveredResources:
 * id → name), then confirms with GetUser that the name still belongs to that id. Undefined when
 * the user no longer exists (nothing left to revoke).
 */
export async function findUserByResourceId(
  config: ConfigServiceClient,
  iam: IAMClient,
  calls: CallCounter,
  resourceId: string,
): Promise<LiveUser | undefined> {
  let userName: string | undefined;
  try {
    const out = await config.send(
      new ListDiscoveredResourcesCommand({ resourceType: IAM_USER_RESOURCE_TYPE, resourceIds: [resourceId] }),
    );
    userName = out.resourceIdentifiers?.find(
      (r) => r.resourceId === resourceId && r.resourceDeletionTime === undefined,
    )?.resourceName;
  } catch (cause) {
    throw failure('ListDiscoveredResources', `resource id ${resourceId}`, cause);
  }
  if (userName === undefined) return undefined;
  calls.count('GetUser');
  let user: { UserId?: string; UserName?: string; CreateDate?: Date; PasswordLastUsed?: Date } | undefined;
  try {
    user = (await iam.send(new GetUserCommand({ UserName: userName }))).User;
  } catch (cause) {
    const name = errorName(cause);
    if (name === 'NoSuchEntityException' || name === 'NoSuchEntity') return undefined;
    throw failure('GetUser', `user ${userName}`, cause);
  }
  if (user?.UserId !== resourceId || user.CreateDate === undefined) {
    throw new UserIdentityMismatchError(
      `Config's inventory maps resource id ${resourceId} to user name ${userName}, but IAM says ${userName} is ` +
        `${user?.UserId ?? 'a user without a UserId'}; nothing was revoked. The user was probably renamed and the ` +
        'name reused: wait for Config to record the change, then re-evaluate the rule.',
    );
  }
  return {
    userName,
    userId: user.UserId,
    createDate: user.CreateDate,
    passwordLastUsed: user.PasswordLastUsed ?? null,
  };
}
