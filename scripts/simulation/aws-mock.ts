import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import type { IamAccount, ModelKey, ModelUser } from './model';

/**
 * Serves an in-memory account through aws-sdk-client-mock: IAM (the four live reads and the
 * credential report) and SSM (the exclusion list); Config is config-model.ts.
 * Each served client is a fresh instance, so call counts never leak between runs.
 */

export interface ServedReport {
  /** The CSV GetCredentialReport returns (render it from a snapshot of the account). */
  readonly csv: string;
  readonly generatedTime: Date;
}

export interface IamServeOptions {
  /** The report, or undefined to answer ReportNotPresent. */
  readonly report?: ServedReport;
  /** States GenerateCredentialReport answers in turn; the last repeats. @default ['COMPLETE'] */
  readonly generateStates?: readonly ('STARTED' | 'INPROGRESS' | 'COMPLETE')[];
  /** ListUsers page size cap (IAM's is 1000). */
  readonly usersPerPage?: number;
}

function noSuchEntity(message: string): NoSuchEntityException {
  return new NoSuchEntityException({ message, $metadata: { httpStatusCode: 404 } });
}

export function serveIam(
  account: IamAccount,
  options: IamServeOptions = {},
): {
  client: IAMClient;
  stub: AwsClientStub<IAMClient>;
} {
  const client = new IAMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const stub = mockClient(client);
  let keyIndex = new Map<string, { user: ModelUser; key: ModelKey }>();
  const findKey = (id: string) => {
    let found = keyIndex.get(id);
    if (!found) {
      keyIndex = new Map(
        account.users.flatMap((user) => user.keys.map((key) => [key.id, { user, key }] as const)),
      );
      found = keyIndex.get(id);
    }
    // A key deleted since the index was built is gone.
    if (!found?.user.keys.includes(found.key)) return undefined;
    return account.user(found.user.name) === found.user ? found : undefined;
  };
  const cap = options.usersPerPage ?? 1000;

  stub.on(ListUsersCommand).callsFake((input: { MaxItems?: number; Marker?: string }) => {
    const size = Math.min(input.MaxItems ?? 100, cap);
    const start = input.Marker ? Number(input.Marker) : 0;
    const page = account.users.slice(start, start + size);
    const more = start + size < account.users.length;
    return {
      Users: page.map((u) => ({
        UserName: u.name,
        UserId: u.id,
        Arn: `arn:aws:iam::111111111111:user/${u.name}`,
        Path: '/',
        CreateDate: u.createDate,
        ...(u.passwordLastUsed ? { PasswordLastUsed: u.passwordLastUsed } : {}),
      })),
      IsTruncated: more,
      ...(more ? { Marker: String(start + size) } : {}),
    };
  });
  stub.on(GetLoginProfileCommand).callsFake((input: { UserName: string }) => {
    const user = account.user(input.UserName);
    if (!user?.loginProfile) throw noSuchEntity(`Login Profile for User ${input.UserName} cannot be found.`);
    return { LoginProfile: { UserName: user.name, CreateDate: user.loginProfile.createDate } };
  });
  stub.on(ListAccessKeysCommand).callsFake((input: { UserName: string }) => {
    const user = account.user(input.UserName);
    if (!user) throw noSuchEntity(`The user with name ${input.UserName} cannot be found.`);
    return {
      AccessKeyMetadata: user.keys.map((k) => ({
        UserName: user.name,
        AccessKeyId: k.id,
        Status: k.status,
        CreateDate: k.createDate,
      })),
      IsTruncated: false,
    };
  });
  stub.on(GetAccessKeyLastUsedCommand).callsFake((input: { AccessKeyId: string }) => {
    const found = findKey(input.AccessKeyId);
    if (!found) throw noSuchEntity(`The Access Key with id ${input.AccessKeyId} cannot be found.`);
    return {
      UserName: found.user.name,
      AccessKeyLastUsed: found.key.lastUsed
        ? { LastUsedDate: found.key.lastUsed, Region: 'us-east-1', ServiceName: 's3' }
        : { Region: 'N/A', ServiceName: 'N/A' },
    };
  });

  const states = options.generateStates ?? ['COMPLETE'];
  let generateCalls = 0;
  stub.on(GenerateCredentialReportCommand).callsFake(() => {
    const state = states[Math.min(generateCalls, states.length - 1)];
    generateCalls += 1;
    return { State: state };
  });
  const encoded = options.report ? new TextEncoder().encode(options.report.csv) : undefined;
  stub.on(GetCredentialReportCommand).callsFake(() => {
    if (!options.report || !encoded) {
      throw Object.assign(new Error('Credential report not present'), { name: 'ReportNotPresent' });
    }
    return { Content: encoded, ReportFormat: 'text/csv', GeneratedTime: options.report.generatedTime };
  });
  return { client, stub };
}

/** The exclusion parameter; undefined answers ParameterNotFound (the evaluator then refuses to run). */
export function serveSsm(exclusionValue: string | undefined): {
  client: SSMClient;
  stub: AwsClientStub<SSMClient>;
} {
  const client = new SSMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const stub = mockClient(client);
  stub.on(GetParameterCommand).callsFake((input: { Name: string }) => {
    if (exclusionValue === undefined) {
      throw new ParameterNotFound({ message: `Parameter ${input.Name} not found.`, $metadata: {} });
    }
    return { Parameter: { Name: input.Name, Type: 'StringList', Value: exclusionValue } };
  });
  return { client, stub };
}
