import { type CloudFormationClient, paginateListStackInstances } from '@aws-sdk/client-cloudformation';
import {
  type ConfigServiceClient,
  paginateGetOrganizationConformancePackDetailedStatus,
} from '@aws-sdk/client-config-service';
import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { ORG_CONFORMANCE_PACK_NAME, STACKSET_NAME } from '../../../conformance-pack/names';
import { readPackExcludedAccounts } from '../../deployment/pack-scope';
import type { AwsClients } from '../../lib/aws/clients';
import { isActive, listOrganizationAccounts } from '../../lib/aws/organization';
import { allItems, pagesOf } from '../../lib/aws/pages';
import { forEachAccount } from '../../lib/aws/targets';
import type { CliIo } from '../../lib/terminal/io';
import { orgPackFactsOf, orgPackState, stackInstanceFactsOf, stackInstancesState } from './components';
import { assessHealth } from './health';
import type { HeartbeatState } from './heartbeat';
import type { AccountStatus, DeploymentScope, RemediationState, RuleState } from './model';
import { readRuleAndRemediation } from './read';

/** Organization mode: the StackSet and the pack from the delegated admin, the rule inside each account. */

const DETAILED_STATUS_LIMIT = 100;

function listStackInstances(cfn: CloudFormationClient) {
  return allItems(
    paginateListStackInstances(pagesOf(cfn), { StackSetName: STACKSET_NAME, CallAs: 'DELEGATED_ADMIN' }),
    (p) => p.Summaries,
  );
}

function packStatuses(config: ConfigServiceClient) {
  return allItems(
    paginateGetOrganizationConformancePackDetailedStatus(pagesOf(config), {
      OrganizationConformancePackName: ORG_CONFORMANCE_PACK_NAME,
      Limit: DETAILED_STATUS_LIMIT,
    }),
    (p) => p.OrganizationConformancePackDetailedStatuses,
  );
}

export async function organizationStatus(
  io: CliIo,
  clients: AwsClients,
  concurrency: number,
  now: Date,
): Promise<AccountStatus[]> {
  const [accounts, organization, instances, excludedAccounts] = await Promise.all([
    listOrganizationAccounts(clients.organizations),
    clients.organizations.send(new DescribeOrganizationCommand({})),
    listStackInstances(clients.cloudFormation),
    readPackExcludedAccounts(clients.config),
  ]);
  // Without the pack its per-account status fails too (NoSuchOrganizationConformancePackException).
  const packs = excludedAccounts === undefined ? [] : await packStatuses(clients.config);
  const managementId = organization.Organization?.MasterAccountId;
  const scopeOf = (id: string): DeploymentScope => {
    if (excludedAccounts === undefined) return 'pack-not-deployed';
    return excludedAccounts.has(id) ? 'excluded' : 'included';
  };
  const targets = accounts
    .filter(isActive)
    .map((a) => ({ accountId: a.id, accountName: a.name, current: false }));
  const instancesOf = (id: string) => stackInstanceFactsOf(instances, id);
  const packOf = (id: string) => orgPackFactsOf(packs, id);
  const componentsOf = (id: string) => ({
    evaluator: stackInstancesState(instancesOf(id)),
    pack: orgPackState(packOf(id), scopeOf(id) === 'excluded'),
  });
  /**
   * Where a rule should run, or is left over, read it. An excluded account's rule is read only
   * when both pieces are still there: with one alone there is no rule, or no role to read it with.
   */
  const readsRule = (id: string): boolean => {
    const { evaluator, pack } = componentsOf(id);
    switch (scopeOf(id)) {
      case 'pack-not-deployed':
        return false;
      case 'excluded':
        return evaluator.present && pack.present;
      case 'included':
        return instancesOf(id).length > 0 || packOf(id) !== undefined;
    }
  };
  // Reading the rule inside an account needs the exclusions role the StackSet puts there.
  const rules = await forEachAccount(io, 'status', targets, concurrency, async (target) => {
    if (!readsRule(target.accountId))
      return {
        rule: { kind: 'not-checked' },
        remediation: { kind: 'not-checked' },
        heartbeat: { kind: 'not-checked' },
      } as const;
    return readRuleAndRemediation(await clients.member(target.accountId));
  });
  return rules.map((r) => {
    const id = r.target.accountId;
    const { evaluator, pack } = componentsOf(id);
    const scope = scopeOf(id);
    const rule: RuleState = r.ok ? r.value.rule : { kind: 'unreadable', error: r.error };
    // When the account could not be read at all, the rule's row already names why.
    const remediation: RemediationState = r.ok ? r.value.remediation : { kind: 'not-checked' };
    const heartbeat: HeartbeatState = r.ok ? r.value.heartbeat : { kind: 'not-checked' };
    return {
      accountId: id,
      accountName: r.target.accountName,
      scope,
      evaluator,
      pack,
      rule,
      remediation,
      heartbeat,
      health: assessHealth({
        evaluator,
        pack,
        rule,
        remediation,
        packKind: 'organization',
        scope,
        isManagementAccount: id === managementId,
        evaluatorName: 'StackSet instance',
        heartbeat: { state: heartbeat, accountId: id, now },
      }),
    };
  });
}
