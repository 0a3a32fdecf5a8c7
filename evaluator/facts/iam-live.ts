import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  type IAMClient,
  ListAccessKeysCommand,
  type ListAccessKeysCommandOutput,
  ListUsersCommand,
  type ListUsersCommandOutput,
} from '@aws-sdk/client-iam';
import type { AccessKeyStatus } from '../decision';
import { errorName, errorText } from '../error-text';
import { IamReadError } from '../errors';
import type { CallCounter, Deadline } from './types';

/**
 * Thin live IAM reads for the facts sources: one SDK call each, counted, with errors turned
 * into IamReadError naming the operation, the user and the fix. Retries (adaptive) are the SDK's.
 */

/** The largest page ListUsers returns. */
export const LIST_USERS_PAGE_SIZE = 1000;

export interface LiveUser {
  readonly userName: string;
  readonly userId: string;
  readonly createDate: Date;
  /** From ListUsers: null when the password was never used (or not since Oct 2014). */
  readonly passwordLastUsed: Date | null;
}

export interface LiveAccessKey {
  readonly accessKeyId: string;
  readonly status: AccessKeyStatus;
  readonly createDate: Date;
}

function isNoSuchEntity(error: unknown): boolean {
  const name = errorName(error);
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity';
}

function readError(operation: string, subject: string, error: unknown): IamReadError {
  const detail = errorText(error);
  return new IamReadError(
    `IAM ${operation} failed for ${subject} after the SDK's retries (${detail}). ` +
      `Check that the evaluator role allows iam:${operation}, or look for throttling; no verdict was sent for facts that were not read.`,
    { cause: error },
  );
}

function required<T>(value: T | undefined, operation: string, field: string, subject: string): T {
  if (value === undefined) {
    throw new IamReadError(
      `IAM ${operation} returned no ${field} for ${subject}; cannot evaluate without it.`,
    );
  }
  return value;
}

/** Every user of the account, in ListUsers order, with the largest page size. */
export async function listAllUsers(
  iam: IAMClient,
  calls: CallCounter,
  deadline: Deadline,
): Promise<LiveUser[]> {
  const users: LiveUser[] = [];
  let marker: string | undefined;
  do {
    deadline.check('listing IAM users');
    calls.count('ListUsers');
    let page: ListUsersCommandOutput;
    try {
      page = await iam.send(new ListUsersCommand({ MaxItems: LIST_USERS_PAGE_SIZE, Marker: marker }));
    } catch (error) {
      throw readError('ListUsers', 'the account', error);
    }
    for (const user of page.Users ?? []) {
      const userName = required(user.UserName, 'ListUsers', 'UserName', 'a user');
      users.push({
        userName,
        userId: required(user.UserId, 'ListUsers', 'UserId', `user ${userName}`),
        createDate: required(user.CreateDate, 'ListUsers', 'CreateDate', `user ${userName}`),
        passwordLastUsed: user.PasswordLastUsed ?? null,
      });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
    if (page.IsTruncated && !marker) {
      throw new IamReadError(
        'IAM ListUsers said the list is truncated but gave no Marker; cannot list every user.',
      );
    }
  } while (marker);
  return users;
}

/** The login profile's CreateDate, or null when the user has no console password. */
export async function getLoginProfile(
  iam: IAMClient,
  calls: CallCounter,
  userName: string,
): Promise<{ createDate: Date } | null> {
  calls.count('GetLoginProfile');
  try {
    const out = await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return {
      createDate: required(out.LoginProfile?.CreateDate, 'GetLoginProfile', 'CreateDate', `user ${userName}`),
    };
  } catch (error) {
    if (isNoSuchEntity(error)) return null;
    if (error instanceof IamReadError) throw error;
    throw readError('GetLoginProfile', `user ${userName}`, error);
  }
}

/** The user's access keys; UserDeletedDuringRun when the user no longer exists. */
export async function listAccessKeys(
  iam: IAMClient,
  calls: CallCounter,
  userName: string,
): Promise<LiveAccessKey[]> {
  const keys: LiveAccessKey[] = [];
  let marker: string | undefined;
  do {
    calls.count('ListAccessKeys');
    let out: ListAccessKeysCommandOutput;
    try {
      out = await iam.send(
        new ListAccessKeysCommand({ UserName: userName, MaxItems: LIST_USERS_PAGE_SIZE, Marker: marker }),
      );
    } catch (error) {
      if (isNoSuchEntity(error)) throw new UserDeletedDuringRun('ListAccessKeys');
      throw readError('ListAccessKeys', `user ${userName}`, error);
    }
    for (const key of out.AccessKeyMetadata ?? []) {
      const accessKeyId = required(key.AccessKeyId, 'ListAccessKeys', 'AccessKeyId', `user ${userName}`);
      const status = required(key.Status, 'ListAccessKeys', 'Status', `key ${accessKeyId}`);
      if (status !== 'Active' && status !== 'Inactive') {
        // Guessing either way could revoke wrongly or hide a usable key.
        throw new IamReadError(
          `IAM ListAccessKeys returned status ${JSON.stringify(status)} for key ${accessKeyId} of user ${userName}; ` +
            'only Active and Inactive are understood. Report this so the evaluator can learn the new status.',
        );
      }
      keys.push({
        accessKeyId,
        status,
        createDate: required(key.CreateDate, 'ListAccessKeys', 'CreateDate', `key ${accessKeyId}`),
      });
    }
    marker = out.IsTruncated ? out.Marker : undefined;
    if (out.IsTruncated && !marker) {
      throw new IamReadError(
        `IAM ListAccessKeys for user ${userName} said the list is truncated but gave no Marker; cannot list every key.`,
      );
    }
  } while (marker);
  return keys;
}

/**
 * Thrown when ListAccessKeys says the user is gone after ListUsers listed it (deleted, or renamed:
 * the old name no longer exists): the user is skipped and logged. Never leaves the facts sources.
 */
export class UserDeletedDuringRun extends Error {
  constructor(readonly operation: string) {
    super(`user deleted during the run (${operation} answered NoSuchEntity)`);
    this.name = 'UserDeletedDuringRun';
  }
}

/** A key's last use; `deleted` when the key no longer exists (rotated away since it was listed). */
export type KeyLastUse =
  | { readonly deleted: false; readonly lastUsedDate: Date | null }
  | { readonly deleted: true };

/**
 * The key's last use (null when IAM has no record of it being used). NoSuchEntity here means the
 * KEY is gone, not the user: one key deleted mid-run (rotation) says nothing about the user, and a
 * deleted key has nothing left to revoke, so the caller drops it from the facts.
 */
export async function getAccessKeyLastUsed(
  iam: IAMClient,
  calls: CallCounter,
  userName: string,
  accessKeyId: string,
): Promise<KeyLastUse> {
  calls.count('GetAccessKeyLastUsed');
  try {
    const out = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
    return { deleted: false, lastUsedDate: out.AccessKeyLastUsed?.LastUsedDate ?? null };
  } catch (error) {
    if (isNoSuchEntity(error)) return { deleted: true };
    throw readError('GetAccessKeyLastUsed', `key ${accessKeyId} of user ${userName}`, error);
  }
}
