import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  type IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  type User,
} from '@aws-sdk/client-iam';
import { mapWithConcurrency } from '../concurrency';
import type { AccessKeyFacts, AccessKeyStatus, UserFacts } from '../decision';
import { IamReadError } from '../errors';
import { type Logger, logJson } from '../observability';
import type { GatherContext, UserFactsSource } from './types';

/** IAM's largest page for ListUsers / ListAccessKeys. */
export const IAM_MAX_ITEMS = 1000;
/** Users read in parallel. IAM throttles per account, so stay modest; adaptive retries absorb the rest. */
export const DEFAULT_PER_USER_CONCURRENCY = 8;
/** Users gathered per round before they are handed on, so evaluations can be put while reading continues. */
export const DEFAULT_CHUNK_SIZE = 100;

export interface PerUserSourceOptions {
  readonly iam: IAMClient;
  readonly logger: Logger;
  /** @default DEFAULT_PER_USER_CONCURRENCY */
  readonly concurrency?: number;
  /** @default DEFAULT_CHUNK_SIZE */
  readonly chunkSize?: number;
}

/** Thrown inside one user's reads when IAM says the user is gone; never leaves this module. */
class UserDeletedDuringRun {
  constructor(readonly operation: string) {}
}

/**
 * The live source: every fact read straight from IAM, four operations per user (plus one per
 * access key). Accurate and simple; its cost grows with users and keys.
 *
 * A user deleted after ListUsers (ListAccessKeys or GetAccessKeyLastUsed answers NoSuchEntity) is
 * skipped and logged rather than evaluated from the facts read so far: there is nothing left to
 * revoke, and if Config holds an earlier result for the user, the run closes it as NOT_APPLICABLE.
 * GetLoginProfile's NoSuchEntity alone cannot tell "no password" from "no user"; the ListAccessKeys
 * call that follows it settles which.
 */
export function createPerUserSource(options: PerUserSourceOptions): UserFactsSource {
  const concurrency = options.concurrency ?? DEFAULT_PER_USER_CONCURRENCY;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkSize must be an integer >= 1, got ${chunkSize}`);
  }
  const { iam, logger } = options;

  async function call<T>(
    context: GatherContext,
    operation: string,
    userName: string | undefined,
    send: () => Promise<T>,
  ): Promise<T> {
    context.iamCalls.count(operation);
    try {
      return await send();
    } catch (cause) {
      const name = cause instanceof Error ? cause.name : 'error';
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new IamReadError(
        `IAM ${operation}${userName === undefined ? '' : ` for user ${userName}`} failed after retries (${name}: ${message}); ` +
          'no evaluation was put for facts that could not be read. Check the evaluator role allows ' +
          `iam:${operation}, and look for throttling if the error is ThrottlingException.`,
        { cause },
      );
    }
  }

  async function listUsers(context: GatherContext): Promise<User[]> {
    const users: User[] = [];
    let marker: string | undefined;
    do {
      const page = await call(context, 'ListUsers', undefined, () =>
        iam.send(new ListUsersCommand({ MaxItems: IAM_MAX_ITEMS, ...(marker ? { Marker: marker } : {}) })),
      );
      users.push(...(page.Users ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
      if (page.IsTruncated && !marker) {
        throw new IamReadError(
          'IAM ListUsers reported more pages but returned no Marker; cannot list every user.',
        );
      }
    } while (marker);
    return users;
  }

  async function loginProfile(
    context: GatherContext,
    userName: string,
  ): Promise<{ createDate: Date } | null> {
    try {
      const out = await call(context, 'GetLoginProfile', userName, () =>
        iam.send(new GetLoginProfileCommand({ UserName: userName })),
      );
      const createDate = out.LoginProfile?.CreateDate;
      if (!createDate) throw missing('GetLoginProfile', userName, 'LoginProfile.CreateDate');
      return { createDate };
    } catch (error) {
      // NoSuchEntity here is the normal answer for a user without a console password.
      if (error instanceof IamReadError && isNoSuchEntity(error.cause)) return null;
      throw error;
    }
  }

  async function accessKeys(context: GatherContext, userName: string): Promise<AccessKeyFacts[]> {
    const keys: AccessKeyFacts[] = [];
    let marker: string | undefined;
    do {
      const page = await userCall(context, 'ListAccessKeys', userName, () =>
        iam.send(
          new ListAccessKeysCommand({
            UserName: userName,
            MaxItems: IAM_MAX_ITEMS,
            ...(marker ? { Marker: marker } : {}),
          }),
        ),
      );
      for (const key of page.AccessKeyMetadata ?? []) {
        const accessKeyId = key.AccessKeyId;
        const createDate = key.CreateDate;
        if (!accessKeyId || !createDate) {
          throw missing('ListAccessKeys', userName, 'AccessKeyId/CreateDate');
        }
        keys.push({
          accessKeyId,
          status: keyStatus(key.Status, userName, accessKeyId),
          createDate,
          lastUsedDate: null,
        });
      }
      marker = page.IsTruncated ? page.Marker : undefined;
      if (page.IsTruncated && !marker) {
        throw new IamReadError(
          `IAM ListAccessKeys for user ${userName} reported more pages but returned no Marker.`,
        );
      }
    } while (marker);
    // Every key, inactive ones too: the facts stay complete and the decision chooses what counts.
    const withLastUse: AccessKeyFacts[] = [];
    for (const key of keys) {
      const out = await userCall(context, 'GetAccessKeyLastUsed', userName, () =>
        iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.accessKeyId })),
      );
      withLastUse.push({ ...key, lastUsedDate: out.AccessKeyLastUsed?.LastUsedDate ?? null });
    }
    return withLastUse;
  }

  /** A call about one user whose NoSuchEntity means the user was deleted during the run. */
  async function userCall<T>(
    context: GatherContext,
    operation: string,
    userName: string,
    send: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call(context, operation, userName, send);
    } catch (error) {
      if (error instanceof IamReadError && isNoSuchEntity(error.cause))
        throw new UserDeletedDuringRun(operation);
      throw error;
    }
  }

  async function readUser(context: GatherContext, user: User): Promise<UserFacts | undefined> {
    const userName = user.UserName;
    const userId = user.UserId;
    if (!userName || !userId)
      throw new IamReadError('IAM ListUsers returned a user without UserName or UserId.');
    context.deadline.check(`reading user ${userName}`);
    try {
      const profile = await loginProfile(context, userName);
      const keys = await accessKeys(context, userName);
      return {
        userName,
        userId,
        passwordLastUsed: user.PasswordLastUsed ?? null,
        loginProfile: profile,
        accessKeys: keys,
      };
    } catch (error) {
      if (error instanceof UserDeletedDuringRun) {
        logJson(logger, 'WARN', 'user deleted during the run: skipped, not evaluated', {
          userName,
          userId,
          operation: error.operation,
        });
        return undefined;
      }
      throw error;
    }
  }

  return {
    strategy: 'per-user',
    async *gather(context: GatherContext): AsyncIterable<UserFacts> {
      const users = await listUsers(context);
      for (let start = 0; start < users.length; start += chunkSize) {
        const chunk = users.slice(start, start + chunkSize);
        const facts = await mapWithConcurrency(chunk, concurrency, (user) => readUser(context, user));
        for (const user of facts) if (user) yield user;
      }
    },
  };
}

function isNoSuchEntity(error: unknown): boolean {
  return error instanceof Error && (error.name === 'NoSuchEntity' || error.name === 'NoSuchEntityException');
}

function keyStatus(status: string | undefined, userName: string, accessKeyId: string): AccessKeyStatus {
  if (status === 'Active' || status === 'Inactive') return status;
  // Guessing would be worse than stopping: "Active" could revoke wrongly, "Inactive" could hide a live key.
  throw new IamReadError(
    `IAM ListAccessKeys returned status ${JSON.stringify(status)} for key ${accessKeyId} of user ${userName}; ` +
      'only Active and Inactive are understood. Report this so the evaluator can be taught the new status.',
  );
}

function missing(operation: string, userName: string, field: string): IamReadError {
  return new IamReadError(
    `IAM ${operation} for user ${userName} returned no ${field}; cannot evaluate the user.`,
  );
}
