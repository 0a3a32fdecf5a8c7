/**
 * Service principals the management account must trust and delegate to the delegated-admin account
 * (`iam-unused rollout`): StackSets, organization conformance packs, and the organization aggregator
 * (whose role, in infra/admin-stack.ts, trusts `config`).
 */
export const ORGANIZATION_SERVICE_PRINCIPALS = {
  stackSets: 'member.org.stacksets.cloudformation.amazonaws.com',
  conformancePacks: 'config-multiaccountsetup.amazonaws.com',
  config: 'config.amazonaws.com',
} as const;
