import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSMClient } from '@aws-sdk/client-ssm';
import {
  AssumeRoleCommand,
  type AssumeRoleCommandOutput,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { EXCLUSIONS_ROLE_NAME } from '../../../conformance-pack/names';
import { errorMessage } from '../../../evaluator/error-text';
import { IamUnusedError } from '../../../evaluator/errors';
import type { AwsOptions } from '../terminal/options';
import { awsErrorName } from './errors';
import { proxyRequestHandler } from './proxy';
import { roleSessionNameFor, SOURCE_IDENTITY_ENV, sourceIdentityFor } from './session-identity';
import { resolveAwsOptions } from './setup';

/** The role could not be assumed, or STS answered without credentials. */
export class AssumeRoleError extends IamUnusedError {}

/** Clients acting inside one member account through the exclusions role. */
export interface MemberClients {
  readonly accountId: string;
  readonly ssm: SSMClient;
  readonly config: ConfigServiceClient;
}

export interface CallerIdentity {
  readonly accountId: string;
  /** aws, aws-cn, aws-us-gov: role ARNs in other accounts must use the caller's partition. */
  readonly partition: string;
  /** The caller's ARN: the operator's name in it becomes the member sessions' SourceIdentity. */
  readonly arn: string;
}

/** Every AWS client the CLI uses, created once per command run from --profile/--region. */
export interface AwsClients {
  readonly organizations: OrganizationsClient;
  readonly config: ConfigServiceClient;
  readonly cloudFormation: CloudFormationClient;
  readonly ssm: SSMClient;
  readonly iam: IAMClient;
  readonly sts: STSClient;
  callerIdentity(): Promise<CallerIdentity>;
  /** Assumes EXCLUSIONS_ROLE_NAME in `accountId` (once per account and run). */
  member(accountId: string): Promise<MemberClients>;
}

export type AwsClientFactory = (options: AwsOptions) => AwsClients;

const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * Standard credential chain; adaptive retries absorb throttling from org-wide loops (AWS_MAX_ATTEMPTS
 * overrides the count, as in the aws cli); the proxy of HTTPS_PROXY / HTTP_PROXY, minus NO_PROXY.
 */
export function clientConfig(
  options: AwsOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): {
  region?: string;
  profile?: string;
  retryMode: 'adaptive';
  maxAttempts: number;
  requestHandler?: ReturnType<typeof proxyRequestHandler>;
} {
  const attempts = Number(env.AWS_MAX_ATTEMPTS);
  const requestHandler = proxyRequestHandler(env);
  return {
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    retryMode: 'adaptive',
    maxAttempts: Number.isInteger(attempts) && attempts >= 1 ? attempts : DEFAULT_MAX_ATTEMPTS,
    ...(requestHandler ? { requestHandler } : {}),
  };
}

export function exclusionsRoleArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:role/${EXCLUSIONS_ROLE_NAME}`;
}

/** SourceIdentity and RoleSessionName naming the operator in member CloudTrail (session-identity.ts). */
function sessionIdentity(callerArn: string): { SourceIdentity: string; RoleSessionName: string } {
  const sourceIdentity = sourceIdentityFor(callerArn, process.env[SOURCE_IDENTITY_ENV]);
  return { SourceIdentity: sourceIdentity, RoleSessionName: roleSessionNameFor(sourceIdentity) };
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

export function createAwsClients(options: AwsOptions): AwsClients {
  const base = clientConfig(options);
  const organizations = lazy(() => new OrganizationsClient(base));
  const config = lazy(() => new ConfigServiceClient(base));
  const cloudFormation = lazy(() => new CloudFormationClient(base));
  const ssm = lazy(() => new SSMClient(base));
  const iam = lazy(() => new IAMClient(base));
  const sts = lazy(() => new STSClient(base));
  let identity: Promise<CallerIdentity> | undefined;
  const members = new Map<string, Promise<MemberClients>>();

  function callerIdentity(): Promise<CallerIdentity> {
    identity ??= sts()
      .send(new GetCallerIdentityCommand({}))
      .then((out) => {
        const partition = out.Arn?.split(':')[1];
        if (!out.Account || !partition)
          throw new IamUnusedError(
            `STS GetCallerIdentity returned no account or ARN (${JSON.stringify(out)}).`,
          );
        return { accountId: out.Account, partition, arn: out.Arn as string };
      });
    return identity;
  }

  async function assume(accountId: string): Promise<MemberClients> {
    const { partition, arn } = await callerIdentity();
    const roleArn = exclusionsRoleArn(partition, accountId);
    const session = sessionIdentity(arn);
    let out: AssumeRoleCommandOutput;
    try {
      out = await sts().send(new AssumeRoleCommand({ RoleArn: roleArn, ...session }));
    } catch (cause) {
      throw new AssumeRoleError(
        `Cannot assume ${roleArn}: ${awsErrorName(cause)}: ${errorMessage(cause)}. ` +
          'Is the member stack deployed in that account, are these the delegated-admin account credentials, ' +
          "and is your role among the exclusions role's trusted principals (setting exclusionsAdminPrincipalArns)? " +
          `If your own session already carries a SourceIdentity, set ${SOURCE_IDENTITY_ENV} to that value.`,
        { cause },
      );
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey)
      throw new AssumeRoleError(`STS AssumeRole on ${roleArn} returned no credentials.`);
    // The profile is dropped (its credentials are not the member's), so the region it named must
    // be carried over explicitly: otherwise member clients would resolve the default profile's
    // region and read or write the exclusion parameter where the evaluator never looks.
    const region = await sts().config.region();
    const memberConfig = {
      ...base,
      region,
      profile: undefined,
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken === undefined ? {} : { sessionToken: c.SessionToken }),
        ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
      },
    };
    return {
      accountId,
      ssm: new SSMClient(memberConfig),
      config: new ConfigServiceClient(memberConfig),
    };
  }

  return {
    get organizations() {
      return organizations();
    },
    get config() {
      return config();
    },
    get cloudFormation() {
      return cloudFormation();
    },
    get ssm() {
      return ssm();
    },
    get iam() {
      return iam();
    },
    get sts() {
      return sts();
    },
    callerIdentity,
    member(accountId) {
      let clients = members.get(accountId);
      if (!clients) {
        clients = assume(accountId);
        members.set(accountId, clients);
      }
      return clients;
    },
  };
}

let factory: AwsClientFactory = createAwsClients;

/**
 * The clients for one command run; tests swap the factory with setAwsClientFactory. The profile
 * and region are checked first (resolveAwsOptions): a usage error, not an AWS call, if wrong.
 */
export async function awsClients(options: AwsOptions): Promise<AwsClients> {
  return factory(await resolveAwsOptions(options));
}

/** Replaces the client factory (tests); call without an argument to restore the default. */
export function setAwsClientFactory(next?: AwsClientFactory): void {
  factory = next ?? createAwsClients;
}
