/**
 * Shared test fixtures for the evaluator Lambda: an IAM account held in memory and answered
 * through aws-sdk-client-mock, a Config event, a Lambda context and a collecting logger.
 */

import type { IAMClient } from '@aws-sdk/client-iam';
import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  IAMServiceException,
  ListAccessKeysCommand,
  ListUsersCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import type { Logger } from '../../evaluator/observability';

export const NOW = new Date('2025-06-01T12:00:00Z');
export const NOTIFICATION_TIME = '2025-06-01T11:59:30.000Z';
export const ACCOUNT_ID = '111111111111';
export const RULE_NAME = 'iam-unused-credentials-check-conformance-pack-abc123';

export function daysAgo(days: number): Date {
  return new Date(NOW.getTime() - days * 24 * 60 * 60 * 1000);
}

export interface FakeKey {
  readonly id: string;
  readonly status?: 'Active' | 'Inactive';
  readonly created: Date;
  readonly lastUsed?: Date;
}

export interface FakeUser {
  readonly name: string;
  readonly id: string;
  readonly passwordLastUsed?: Date;
  readonly loginProfileCreated?: Date;
  readonly keys?: readonly FakeKey[];
}

/** A UserId in IAM's shape: AIDA + 17 upper-case letters or digits, unique per n. */
export function userId(n: number): string {
  return `AIDA${String(n).padStart(17, '0')}`;
}

/** n users, all compliant unless `stale` says otherwise: each has one recently used active key. */
export function fakeUsers(n: number, stale: (i: number) => boolean = () => false): FakeUser[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `user-${String(i).padStart(4, '0')}`,
    id: userId(i),
    keys: [
      {
        id: `AKIA${String(i).padStart(16, '0')}`,
        created: daysAgo(400),
        lastUsed: daysAgo(stale(i) ? 200 : 3),
      },
    ],
  }));
}

export function noSuchEntity(message: string): NoSuchEntityException {
  return new NoSuchEntityException({ message, $metadata: { httpStatusCode: 404 } });
}

export function iamError(name: string, message = `${name} from the mock`): IAMServiceException {
  return new IAMServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: 403 } });
}

export interface FakeIamOptions {
  /** ListUsers page size (the mock ignores MaxItems so pagination can be exercised with few users). */
  readonly usersPerPage?: number;
  readonly keysPerPage?: number;
}

/** Answers the four IAM reads from `users`, paginating with Marker/IsTruncated like IAM. */
export function serveIamAccount(
  iamMock: AwsClientStub<IAMClient>,
  users: readonly FakeUser[],
  options: FakeIamOptions = {},
): void {
  const usersPerPage = options.usersPerPage ?? 1000;
  const keysPerPage = options.keysPerPage ?? 1000;
  const byName = new Map(users.map((u) => [u.name, u]));
  const keyOwner = new Map(users.flatMap((u) => (u.keys ?? []).map((k) => [k.id, k] as const)));
  iamMock.on(ListUsersCommand).callsFake((input: { Marker?: string }) => {
    const start = input.Marker ? Number(input.Marker.replace('users-from-', '')) : 0;
    const page = users.slice(start, start + usersPerPage);
    const more = start + usersPerPage < users.length;
    return {
      Users: page.map((u) => ({
        UserName: u.name,
        UserId: u.id,
        Arn: `arn:aws:iam::${ACCOUNT_ID}:user/${u.name}`,
        Path: '/',
        CreateDate: daysAgo(1000),
        ...(u.passwordLastUsed ? { PasswordLastUsed: u.passwordLastUsed } : {}),
      })),
      IsTruncated: more,
      ...(more ? { Marker: `users-from-${start + usersPerPage}` } : {}),
    };
  });
  iamMock.on(GetLoginProfileCommand).callsFake((input: { UserName: string }) => {
    const user = byName.get(input.UserName);
    if (!user?.loginProfileCreated)
      throw noSuchEntity(`Login Profile for User ${input.UserName} cannot be found.`);
    return { LoginProfile: { UserName: user.name, CreateDate: user.loginProfileCreated } };
  });
  iamMock.on(ListAccessKeysCommand).callsFake((input: { UserName: string; Marker?: string }) => {
    const user = byName.get(input.UserName);
    if (!user) throw noSuchEntity(`The user with name ${input.UserName} cannot be found.`);
    const keys = user.keys ?? [];
    const start = input.Marker ? Number(input.Marker.replace('keys-from-', '')) : 0;
    const more = start + keysPerPage < keys.length;
    return {
      AccessKeyMetadata: keys.slice(start, start + keysPerPage).map((k) => ({
        UserName: user.name,
        AccessKeyId: k.id,
        Status: k.status ?? 'Active',
        CreateDate: k.created,
      })),
      IsTruncated: more,
      ...(more ? { Marker: `keys-from-${start + keysPerPage}` } : {}),
    };
  });
  iamMock.on(GetAccessKeyLastUsedCommand).callsFake((input: { AccessKeyId: string }) => {
    const key = keyOwner.get(input.AccessKeyId);
    if (!key) throw noSuchEntity(`The Access Key with id ${input.AccessKeyId} cannot be found.`);
    return {
      AccessKeyLastUsed: key.lastUsed
        ? { LastUsedDate: key.lastUsed, Region: 'us-east-1', ServiceName: 'iam' }
        : { Region: 'N/A', ServiceName: 'N/A' },
    };
  });
}

export function scheduledEvent(
  overrides: Record<string, unknown> = {},
  invoking: Record<string, unknown> = {},
) {
  return {
    version: '1.0',
    invokingEvent: JSON.stringify({
      awsAccountId: ACCOUNT_ID,
      notificationCreationTime: NOTIFICATION_TIME,
      messageType: 'ScheduledNotification',
      recordVersion: '1.0',
      ...invoking,
    }),
    ruleParameters: JSON.stringify({
      MaxCredentialUsageAge: '90',
      ExclusionParameterName: '/iam-unused-user-cleanup/excluded-users',
    }),
    resultToken: 'result-token-from-config',
    eventLeftScope: false,
    executionRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/config-role`,
    configRuleArn: `arn:aws:config:us-east-1:${ACCOUNT_ID}:config-rule/config-rule-abc`,
    configRuleName: RULE_NAME,
    configRuleId: 'config-rule-abc',
    accountId: ACCOUNT_ID,
    ...overrides,
  };
}

export function lambdaContext(remainingMs: () => number = () => 900_000) {
  return { getRemainingTimeInMillis: remainingMs };
}

export function collectingLogger(): Logger & { readonly lines: string[]; json(): Record<string, unknown>[] } {
  const lines: string[] = [];
  return {
    lines,
    write: (line: string) => {
      lines.push(line);
    },
    json: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
