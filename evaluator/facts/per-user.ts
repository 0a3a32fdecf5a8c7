import type { IAMClient } from '@aws-sdk/client-iam';
import { mapWithConcurrency } from '../concurrency';
import type { AccessKeyFacts, UserFacts } from '../decision';
import { type Logger, logJson } from '../observability';
import {
  getAccessKeyLastUsed,
  getLoginProfile,
  type LiveUser,
  listAccessKeys,
  listAllUsers,
  UserDeletedDuringRun,
} from './iam-live';
import type { CallCounter, GatherContext, UserFactsSource } from './types';

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

/**
 * The live source: every fact read straight from IAM, four operations per user (plus one per
 * access key). Accurate and simple; its cost grows with users and keys.
 *
 * A user deleted or renamed after ListUsers (ListAccessKeys answers NoSuchEntity for the listed
 * name) is skipped and logged rather than evaluated from the facts read so far; it gets no
 * evaluation this run (see GatherContext.usersListed). GetLoginProfile's NoSuchEntity alone cannot
 * tell "no password" from "no user"; the ListAccessKeys call that follows it settles which. A key
 * deleted after ListAccessKeys (GetAccessKeyLastUsed answers NoSuchEntity) is dropped from the
 * facts: it has nothing left to revoke, and the user is still evaluated.
 */
export function createPerUserSource(options: PerUserSourceOptions): UserFactsSource {
  const concurrency = options.concurrency ?? DEFAULT_PER_USER_CONCURRENCY;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkSize must be an integer >= 1, got ${chunkSize}`);
  }
  const { iam, logger } = options;

  async function readUser(context: GatherContext, user: LiveUser): Promise<UserFacts | undefined> {
    context.deadline.check(`reading user ${user.userName}`);
    try {
      return await readLiveUserFacts(iam, context.iamCalls, user, logger);
    } catch (error) {
      if (error instanceof UserDeletedDuringRun) {
        logJson(logger, 'WARN', 'user deleted during the run: skipped, not evaluated', {
          userName: user.userName,
          userId: user.userId,
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
      const users = await listAllUsers(iam, context.iamCalls, context.deadline);
      context.usersListed?.(users.map((user) => user.userId));
      for (let start = 0; start < users.length; start += chunkSize) {
        const chunk = users.slice(start, start + chunkSize);
        const facts = await mapWithConcurrency(chunk, concurrency, (user) => readUser(context, user));
        for (const user of facts) if (user) yield user;
      }
    },
  };
}

/**
 * One listed user's facts, read live: login profile, every key (inactive ones too: the facts stay
 * complete and the decision chooses what counts) and each key's last use. Throws
 * UserDeletedDuringRun when the user is gone; also used by the revocation check.
 */
export async function readLiveUserFacts(
  iam: IAMClient,
  calls: CallCounter,
  user: LiveUser,
  logger: Logger,
): Promise<UserFacts> {
  const loginProfile = await getLoginProfile(iam, calls, user.userName);
  const keys = await listAccessKeys(iam, calls, user.userName);
  const accessKeys: AccessKeyFacts[] = [];
  for (const key of keys) {
    const lastUse = await getAccessKeyLastUsed(iam, calls, user.userName, key.accessKeyId);
    if (lastUse.deleted) {
      logKeyDeleted(logger, user, key.accessKeyId);
      continue;
    }
    accessKeys.push({ ...key, lastUsedDate: lastUse.lastUsedDate });
  }
  return {
    userName: user.userName,
    userId: user.userId,
    passwordLastUsed: user.passwordLastUsed,
    loginProfile,
    accessKeys,
  };
}

/** Shared by both sources: a key deleted between ListAccessKeys and GetAccessKeyLastUsed. */
export function logKeyDeleted(logger: Logger, user: LiveUser, accessKeyId: string): void {
  logJson(logger, 'INFO', 'access key deleted during the run: dropped from the facts', {
    userName: user.userName,
    userId: user.userId,
    accessKeyId,
  });
}
