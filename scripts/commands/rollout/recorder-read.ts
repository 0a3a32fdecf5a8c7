import {
  ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
} from '@aws-sdk/client-config-service';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { AssumeRoleError, type AwsClients, clientConfig } from '../../lib/aws/clients';
import { forEachAccount } from '../../lib/aws/targets';
import type { CliIo } from '../../lib/terminal/io';
import type { RecorderFacts, RoleRead } from './recorder';

/**
 * `--recorder-role NAME`: reads each account's configuration recorders in the home region
 * through a role the operator already has there (for example OrganizationAccountAccessRole from
 * the management account). Read-only calls; bounded concurrency; one failure is one account's.
 */

async function configThrough(
  clients: AwsClients,
  accountId: string,
  roleName: string,
  region: string,
): Promise<ConfigServiceClient> {
  const { partition } = await clients.callerIdentity();
  const out = await clients.sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
      RoleSessionName: 'iam-unused-preflight',
    }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey)
    throw new AssumeRoleError(`STS AssumeRole on ${roleName} in ${accountId} returned no credentials.`);
  return new ConfigServiceClient({
    ...clientConfig({ region }),
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
    },
  });
}

/** The account's customer-managed recorders; service-linked ones record for their service only. */
async function readRecorders(config: ConfigServiceClient): Promise<RecorderFacts[]> {
  const [recorders, statuses] = await Promise.all([
    config.send(new DescribeConfigurationRecordersCommand({})),
    config.send(new DescribeConfigurationRecorderStatusCommand({})),
  ]);
  const recording = new Map(
    (statuses.ConfigurationRecordersStatus ?? []).map((s) => [s.name ?? '', s.recording === true]),
  );
  return (recorders.ConfigurationRecorders ?? [])
    .filter((r) => r.servicePrincipal === undefined)
    .map((r) => {
      const group = r.recordingGroup;
      return {
        name: r.name ?? '(unnamed)',
        ...(group?.recordingStrategy?.useOnly ? { strategy: String(group.recordingStrategy.useOnly) } : {}),
        ...(group?.allSupported === undefined ? {} : { allSupported: group.allSupported }),
        ...(group?.includeGlobalResourceTypes === undefined
          ? {}
          : { includeGlobalResourceTypes: group.includeGlobalResourceTypes }),
        resourceTypes: (group?.resourceTypes ?? []).map(String),
        excludedResourceTypes: (group?.exclusionByResourceTypes?.resourceTypes ?? []).map(String),
        recording: recording.get(r.name ?? '') === true,
      };
    });
}

export async function readRecordersThroughRole(
  io: CliIo,
  clients: AwsClients,
  accountIds: readonly { readonly id: string; readonly name: string }[],
  roleName: string,
  region: string,
  concurrency: number,
): Promise<Map<string, RoleRead>> {
  const targets = accountIds.map((a) => ({ accountId: a.id, accountName: a.name, current: false }));
  const results = await forEachAccount(io, 'rollout preflight', targets, concurrency, async (t) =>
    readRecorders(await configThrough(clients, t.accountId, roleName, region)),
  );
  return new Map(
    results.map((r): [string, RoleRead] => [
      r.target.accountId,
      r.ok ? { kind: 'read', roleName, recorders: r.value } : { kind: 'failed', roleName, error: r.error },
    ]),
  );
}
