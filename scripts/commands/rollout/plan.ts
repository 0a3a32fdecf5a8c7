import { ADMIN_STACK_NAME } from '../../../conformance-pack/names';
import { ORGANIZATION_SERVICE_PRINCIPALS } from '../../../infra/service-principals';
import type { DeploymentMode, SettingKey } from '../../../infra/setting-keys';

/**
 * Pure plan for `iam-unused rollout`: from what the management account observed, which
 * prerequisites are done, which it would do (and how), and which need a human.
 */

export type ServicePrincipal =
  (typeof ORGANIZATION_SERVICE_PRINCIPALS)[keyof typeof ORGANIZATION_SERVICE_PRINCIPALS];
/** In dependency order: trusted access before registration, config.amazonaws.com before the aggregator exists. */
export const SERVICE_PRINCIPALS: readonly ServicePrincipal[] = [
  ORGANIZATION_SERVICE_PRINCIPALS.stackSets,
  ORGANIZATION_SERVICE_PRINCIPALS.conformancePacks,
  ORGANIZATION_SERVICE_PRINCIPALS.config,
];

export interface OrganizationFacts {
  readonly featureSet: string;
  readonly managementAccountId: string;
  readonly callerAccountId: string;
  readonly accountIds: ReadonlySet<string>;
  readonly trustedPrincipals: ReadonlySet<string>;
  readonly delegatedAdmins: ReadonlyMap<ServicePrincipal, readonly string[]>;
}

export type RolloutAction =
  | { readonly kind: 'activate-stacksets-access' }
  | { readonly kind: 'enable-service-access'; readonly principal: ServicePrincipal }
  | {
      readonly kind: 'register-delegated-admin';
      readonly principal: ServicePrincipal;
      readonly accountId: string;
    };

export interface RolloutStep {
  readonly title: string;
  readonly state: 'done' | 'todo' | 'blocked';
  /** What was found, or what must be done by hand when blocked. */
  readonly detail: string;
  readonly action?: RolloutAction;
}

export interface RolloutPlan {
  readonly delegatedAdmin?: string;
  readonly steps: readonly RolloutStep[];
}

/** The one account registered for every principal, if the operator did not name one. */
function inferDelegatedAdmin(facts: OrganizationFacts): string | undefined {
  const sets = SERVICE_PRINCIPALS.map((p) => new Set(facts.delegatedAdmins.get(p) ?? []));
  const common = [...(sets[0] ?? [])].filter((id) => sets.every((s) => s.has(id)));
  return common.length === 1 ? common[0] : undefined;
}

export function planRollout(facts: OrganizationFacts, requestedAdmin: string | undefined): RolloutPlan {
  const steps: RolloutStep[] = [];
  steps.push(
    facts.callerAccountId === facts.managementAccountId
      ? { title: 'credentials of the management account', state: 'done', detail: facts.callerAccountId }
      : {
          title: 'credentials of the management account',
          state: 'blocked',
          detail: `these credentials are for ${facts.callerAccountId}, the management account is ${facts.managementAccountId}: rerun with its profile`,
        },
  );
  steps.push(
    facts.featureSet === 'ALL'
      ? { title: 'all features enabled', state: 'done', detail: 'FeatureSet ALL' }
      : {
          title: 'all features enabled',
          state: 'blocked',
          detail: `FeatureSet ${facts.featureSet}: enable all features (Organizations console > Settings, or EnableAllFeatures) and have every account accept; rollout does not start that handshake`,
        },
  );
  const admin = requestedAdmin ?? inferDelegatedAdmin(facts);
  let adminOk = true;
  if (admin === undefined) {
    adminOk = false;
    steps.push({
      title: 'delegated administrator chosen',
      state: 'blocked',
      detail: 'no account is registered for all three services: rerun with --delegated-admin ACCOUNT_ID',
    });
  } else if (!facts.accountIds.has(admin)) {
    adminOk = false;
    steps.push({
      title: 'delegated administrator chosen',
      state: 'blocked',
      detail: `${admin} is not an account of this organization`,
    });
  } else if (admin === facts.managementAccountId) {
    adminOk = false;
    steps.push({
      title: 'delegated administrator chosen',
      state: 'blocked',
      detail: `${admin} is the management account, which cannot be its own delegated administrator: choose a member account`,
    });
  } else {
    steps.push({ title: 'delegated administrator chosen', state: 'done', detail: admin });
  }
  for (const principal of SERVICE_PRINCIPALS) {
    steps.push(
      facts.trustedPrincipals.has(principal)
        ? { title: `trusted access for ${principal}`, state: 'done', detail: 'enabled' }
        : {
            title: `trusted access for ${principal}`,
            state: 'todo',
            ...(principal === ORGANIZATION_SERVICE_PRINCIPALS.stackSets
              ? {
                  detail: 'would call CloudFormation ActivateOrganizationsAccess',
                  action: { kind: 'activate-stacksets-access' },
                }
              : {
                  detail: `would call Organizations EnableAWSServiceAccess ${principal}`,
                  action: { kind: 'enable-service-access', principal },
                }),
          },
    );
  }
  if (adminOk && admin !== undefined) {
    for (const principal of SERVICE_PRINCIPALS) {
      const registered = facts.delegatedAdmins.get(principal) ?? [];
      const others = registered.filter((id) => id !== admin);
      const note = others.length > 0 ? ` (also registered: ${others.join(', ')}; left as is)` : '';
      steps.push(
        registered.includes(admin)
          ? { title: `delegated admin for ${principal}`, state: 'done', detail: `${admin}${note}` }
          : {
              title: `delegated admin for ${principal}`,
              state: 'todo',
              detail: `would call RegisterDelegatedAdministrator ${admin}${note}`,
              action: { kind: 'register-delegated-admin', principal, accountId: admin },
            },
      );
    }
  }
  return { ...(admin === undefined ? {} : { delegatedAdmin: admin }), steps };
}

export function isBlocked(plan: RolloutPlan): boolean {
  return plan.steps.some((s) => s.state === 'blocked');
}

export interface DeployCommandInput {
  readonly delegatedAdmin: string;
  readonly managementAccountId: string;
  readonly region: string;
  readonly rootId: string;
  readonly profile: string;
}

/**
 * The deploy command for the delegated-admin account. The -c keys are the CDK app's settings
 * (SETTING_KEYS in infra/setting-keys.ts): the type refuses a key the app does not read.
 */
export const DEPLOY_CONTEXT_KEYS = [
  'mode',
  'homeRegion',
  'delegatedAdminAccountId',
  'managementAccountId',
  'targetOrganizationalUnitIds',
] as const satisfies readonly SettingKey[];

const DEPLOY_MODE: DeploymentMode = 'organization';

export function deployCommand(input: DeployCommandInput): string {
  const values: Record<(typeof DEPLOY_CONTEXT_KEYS)[number], string> = {
    mode: DEPLOY_MODE,
    homeRegion: input.region,
    delegatedAdminAccountId: input.delegatedAdmin,
    managementAccountId: input.managementAccountId,
    targetOrganizationalUnitIds: input.rootId,
  };
  const context = DEPLOY_CONTEXT_KEYS.map((key) => `-c ${key}=${values[key]}`).join(' ');
  return `npx cdk deploy ${ADMIN_STACK_NAME} ${context} --profile ${input.profile}`;
}
