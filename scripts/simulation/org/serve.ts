import {
  CloudFormationClient,
  DescribeStackInstanceCommand,
  ListStackInstancesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  ConfigServiceClient,
  DeleteOrganizationConformancePackCommand,
  GetAggregateDiscoveredResourceCountsCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
  PutOrganizationConformancePackCommand,
} from '@aws-sdk/client-config-service';
import {
  DeleteParametersCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { ReconcilerClients } from '../../../infra/lambda/reconciler/reconcile';
import type { SimOrganization } from './organization';

/**
 * Serves the in-memory organization to the real reconciler through aws-sdk-client-mock (Config,
 * CloudFormation, SSM of the delegated-admin account), with AWS's page sizes, and counts calls.
 */

const CLIENT_CONFIG = {
  region: 'eu-west-1',
  credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' },
} as const;

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

function page<T>(items: readonly T[], token: string | undefined, size: number) {
  const start = token === undefined ? 0 : Number(token);
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}

export interface ServedOrganization {
  readonly clients: ReconcilerClients;
  readonly calls: Map<string, number>;
  readonly parameters: Map<string, string>;
  /** Every TemplateBody put, in order. */
  readonly templates: string[];
  /** Errors to throw instead of answering, by operation name (tests of failure paths). */
  readonly faults: Map<string, Error>;
}

export function serveOrganization(org: SimOrganization, aggregatorName: string): ServedOrganization {
  const calls = new Map<string, number>();
  const faults = new Map<string, Error>();
  const count = (name: string) => {
    calls.set(name, (calls.get(name) ?? 0) + 1);
    const fault = faults.get(name);
    if (fault !== undefined) throw fault;
  };
  const parameters = new Map<string, string>();
  const templates: string[] = [];
  const config = new ConfigServiceClient(CLIENT_CONFIG);
  const cloudformation = new CloudFormationClient(CLIENT_CONFIG);
  const ssm = new SSMClient(CLIENT_CONFIG);

  const cm = mockClient(config);
  cm.on(GetOrganizationConformancePackDetailedStatusCommand).callsFake((input) => {
    count('GetOrganizationConformancePackDetailedStatus');
    if (!org.packExists) throw awsError('NoSuchOrganizationConformancePackException', 'no such pack');
    const p = page(org.memberRows(), input.NextToken, Math.min(input.Limit ?? 100, 100));
    return {
      OrganizationConformancePackDetailedStatuses: p.items.map((m) => ({
        AccountId: m.accountId,
        ConformancePackName: `OrgConformsPack-${input.OrganizationConformancePackName}-sim`,
        Status: m.status,
        ErrorCode: m.errorCode,
        ErrorMessage: m.errorCode === undefined ? undefined : `${m.errorCode} in this account`,
      })),
      NextToken: p.next,
    };
  });
  cm.on(PutOrganizationConformancePackCommand).callsFake((input) => {
    count('PutOrganizationConformancePack');
    templates.push(input.TemplateBody ?? '');
    org.put(input.ExcludedAccounts ?? []);
    return {
      OrganizationConformancePackArn:
        'arn:aws:config:eu-west-1:222222222222:organization-conformance-pack/sim',
    };
  });
  cm.on(DeleteOrganizationConformancePackCommand).callsFake(() => {
    count('DeleteOrganizationConformancePack');
    return {};
  });
  cm.on(GetAggregateDiscoveredResourceCountsCommand).callsFake((input) => {
    count('GetAggregateDiscoveredResourceCounts');
    if (input.ConfigurationAggregatorName !== aggregatorName)
      throw awsError('NoSuchConfigurationAggregatorException', 'no');
    const groups = [...org.accounts.keys()].filter((id) => org.iamUsersRecorded(id)).sort();
    const p = page(groups, input.NextToken, Math.min(input.Limit ?? 1000, 1000));
    return {
      GroupedResourceCounts: p.items.map((id) => ({ GroupName: id, ResourceCount: 3 })),
      TotalDiscoveredResources: groups.length * 3,
      NextToken: p.next,
    };
  });

  const cf = mockClient(cloudformation);
  cf.on(DescribeStackInstanceCommand).callsFake((input) => {
    count('DescribeStackInstance');
    const id = input.StackInstanceAccount ?? '';
    const status = org.instanceStatus(id);
    if (status === 'MISSING') throw awsError('StackInstanceNotFoundException', `no instance for ${id}`);
    return { StackInstance: { Account: id, Region: input.StackInstanceRegion, Status: status } };
  });
  cf.on(ListStackInstancesCommand).callsFake((input) => {
    count('ListStackInstances');
    const ids = [...org.accounts.keys()].filter((id) => org.joined(id)).sort();
    const p = page(ids, input.NextToken, Math.min(input.MaxResults ?? 100, 100));
    return {
      Summaries: p.items.map((id) => ({
        Account: id,
        Region: input.StackInstanceRegion,
        Status: org.instanceStatus(id),
      })),
      NextToken: p.next,
    };
  });

  const sm = mockClient(ssm);
  sm.on(GetParametersByPathCommand).callsFake((input) => {
    count('GetParametersByPath');
    const prefix = `${input.Path}/`;
    const names = [...parameters.keys()].filter((n) => n.startsWith(prefix)).sort();
    const p = page(names, input.NextToken, Math.min(input.MaxResults ?? 10, 10));
    return { Parameters: p.items.map((Name) => ({ Name, Value: parameters.get(Name) })), NextToken: p.next };
  });
  sm.on(PutParameterCommand).callsFake((input) => {
    count('PutParameter');
    parameters.set(input.Name ?? '', input.Value ?? '');
    return { Version: 1 };
  });
  sm.on(DeleteParametersCommand).callsFake((input) => {
    count('DeleteParameters');
    for (const n of input.Names ?? []) parameters.delete(n);
    return { DeletedParameters: input.Names };
  });

  return { clients: { config, cloudformation, ssm }, calls, parameters, templates, faults };
}
