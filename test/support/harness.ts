import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { IAMClient } from '@aws-sdk/client-iam';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsStub } from 'aws-sdk-client-mock';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import { type CliRun, runCli as runCliAt } from './run-cli';

/** Shared test fixtures for the operator commands: a fake CliIo and class-level SDK mocks. */

export const NOW = '2025-08-27T03:00:00Z';
/** The account the CLI's own credentials belong to (the delegated admin in organization mode). */
export const CALLER_ACCOUNT = '333333333333';

export type { CliRun } from './run-cli';

export function runCli(args: readonly string[], now = NOW): Promise<CliRun> {
  return runCliAt(args, now);
}

/** An error shaped like the SDK's service exceptions (the code travels in `name`). */
export function awsError(name: string, message = `${name} from the mock`): Error {
  const error = new Error(message);
  error.name = name;
  Object.assign(error, { $metadata: { httpStatusCode: 400 } });
  return error;
}

// biome-ignore lint/suspicious/noExplicitAny: the stubs' command types differ per client.
type AnyStub = AwsStub<any, any, any>;

export interface AwsMocks {
  readonly sts: AnyStub;
  readonly organizations: AnyStub;
  readonly ssm: AnyStub;
  readonly config: AnyStub;
  readonly cloudFormation: AnyStub;
  readonly iam: AnyStub;
  readonly all: readonly AnyStub[];
}

/**
 * Mocks every client class the CLI uses. AssumeRole answers with an access key id that encodes
 * the target account, so a fake can tell which account a member client acts in (accountOf).
 * Environment credentials keep the SDK from looking anywhere else.
 */
export function mockAws(): AwsMocks {
  vi.stubEnv('AWS_ACCESS_KEY_ID', `ASIA${CALLER_ACCOUNT}`);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-secret');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_PROFILE', '');
  const mocks = {
    sts: mockClient(STSClient) as AnyStub,
    organizations: mockClient(OrganizationsClient) as AnyStub,
    ssm: mockClient(SSMClient) as AnyStub,
    config: mockClient(ConfigServiceClient) as AnyStub,
    cloudFormation: mockClient(CloudFormationClient) as AnyStub,
    iam: mockClient(IAMClient) as AnyStub,
  };
  const all = Object.values(mocks);
  for (const m of all) m.reset();
  mocks.sts.on(GetCallerIdentityCommand).resolves({
    Account: CALLER_ACCOUNT,
    Arn: `arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/Admin/operator`,
  });
  mocks.sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
    const account = /::(\d{12}):role\//.exec(input.RoleArn)?.[1];
    return {
      Credentials: {
        AccessKeyId: `ASIA${account}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date('2099-01-01T00:00:00Z'),
      },
    };
  });
  return { ...mocks, all };
}

/** The account a client acts in: the assumed account, or CALLER_ACCOUNT for the caller's own clients. */
export async function accountOf(getClient: () => { config: { credentials: unknown } }): Promise<string> {
  const provider = getClient().config.credentials as () => Promise<{ accessKeyId: string }>;
  const credentials = await provider();
  return credentials.accessKeyId.slice(4);
}

export type AccountSpec = readonly [id: string, name: string, state?: string];

/** ListAccounts answered in pages of `pageSize` with NextToken. */
export function organizationAccounts(mocks: AwsMocks, accounts: readonly AccountSpec[], pageSize = 20): void {
  mocks.organizations.on(ListAccountsCommand).callsFake((input: { NextToken?: string }) => {
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const page = accounts.slice(start, start + pageSize);
    const next = start + pageSize < accounts.length ? String(start + pageSize) : undefined;
    return {
      Accounts: page.map(([Id, Name, State]) => ({ Id, Name, State: State ?? 'ACTIVE' })),
      ...(next ? { NextToken: next } : {}),
    };
  });
}

/** Every call any mocked client received (for "touches nothing" assertions). */
export function totalCalls(mocks: AwsMocks): number {
  return mocks.all.reduce((sum, m) => sum + m.calls().length, 0);
}

/** n example account ids: 100000000001, 100000000002, ... */
export function manyAccounts(n: number): AccountSpec[] {
  return Array.from({ length: n }, (_, i) => [String(100000000001 + i), `member-${i + 1}`] as const);
}
