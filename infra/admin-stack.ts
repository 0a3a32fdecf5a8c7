import path from 'node:path';
import { Annotations, CfnOutput, Stack, Stage, Validations } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { CfnConfigurationAggregator, CfnOrganizationConformancePack } from 'aws-cdk-lib/aws-config';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import { buildPackTemplate, type PackTemplate, packTemplateToYaml } from '../conformance-pack/builder';
import {
  ADMIN_STACK_NAME,
  AGGREGATOR_NAME,
  ORG_CONFORMANCE_PACK_NAME,
  STACKSET_NAME,
} from '../conformance-pack/names';
import { type SynthesizedMemberTemplate, synthesizeMemberTemplate } from './member-template';
import { packOptions } from './pack-options';
import { ORGANIZATION_SERVICE_PRINCIPALS } from './service-principals';
import { logRetentionOf, type OrganizationSettings, type Settings } from './settings';

export type OrganizationModeSettings = Extract<Settings, { organization: OrganizationSettings }>;

/**
 * StackSet failure handling: an account that fails (e.g. a role name already taken there) must
 * not stop the rollout to the others, while a bad template stops after about a tenth of the
 * accounts. Under the default STRICT_FAILURE_TOLERANCE, CloudFormation runs at most
 * failure tolerance + 1 accounts at a time (capped by the 25 %), so an organization of fewer than
 * ten accounts is deployed one account at a time.
 */
export const STACKSET_OPERATION_PREFERENCES = {
  failureTolerancePercentage: 10,
  maxConcurrentPercentage: 25,
  regionConcurrencyType: 'PARALLEL',
} as const;

/** The organization pack template for these settings (also the tracked YAML artifact). */
export function organizationPackTemplate(settings: OrganizationModeSettings): PackTemplate {
  return buildPackTemplate(
    packOptions(settings, {
      kind: 'organization',
      partition: settings.partition,
      deployingAccountId: settings.organization.delegatedAdminAccountId,
    }),
  );
}

/** ExcludedAccounts: the management account (never reached by the StackSet) plus the configured ones. */
export function packExcludedAccounts(organization: OrganizationSettings): string[] {
  return [...new Set([organization.managementAccountId, ...organization.excludedAccountIds])];
}

/**
 * The org pack has no OU scope (only ExcludedAccounts) while the StackSet targets OUs: with OU
 * targets, accounts outside them get the pack without the evaluator and the pack fails there.
 * Which accounts those are is not knowable offline, so synth warns instead of failing.
 */
export function packScopeWarning(organization: OrganizationSettings): string | undefined {
  const ous = organization.targetOrganizationalUnitIds.filter((id) => !id.startsWith('r-'));
  if (ous.length === 0 || ous.length < organization.targetOrganizationalUnitIds.length) return undefined;
  return (
    `targetOrganizationalUnitIds = ${JSON.stringify(ous)}: the StackSet reaches only these OUs, but the ` +
    'organization conformance pack reaches every account not in excludedAccountIds. Add every account ' +
    'outside these OUs to excludedAccountIds (`aws organizations list-accounts`), or target the root ' +
    '(r-…); otherwise the pack fails in those accounts (`iam-unused status` lists them).'
  );
}

/**
 * Deployed with the delegated administrator's credentials in the home region: the StackSet that
 * puts the member resources into every target account, the organization conformance pack that
 * points each account's rule at them, and the organization aggregator for the aggregated view.
 */
export class DelegatedAdminStack extends Stack {
  readonly stackSet: CfnStackSet;
  readonly conformancePack: CfnOrganizationConformancePack;
  readonly aggregator: CfnConfigurationAggregator;
  readonly memberTemplate: SynthesizedMemberTemplate;
  readonly packYaml: string;

  constructor(scope: Construct, settings: OrganizationModeSettings) {
    const org = settings.organization;
    super(scope, ADMIN_STACK_NAME, {
      env: { account: org.delegatedAdminAccountId, region: settings.homeRegion },
      description:
        'iam-unused-cleanup: StackSet, organization conformance pack and aggregator (delegated admin).',
      // Deleting this stack removes the rule and remediation from every account at once.
      terminationProtection: true,
    });

    this.memberTemplate = synthesizeMemberTemplate(
      {
        exclusionParameterName: settings.exclusionParameterName,
        logRetention: logRetentionOf(settings),
        exclusionsAdmins: settings.exclusionsAdmins,
        evaluationFrequency: settings.evaluationFrequency,
      },
      path.join(Stage.of(this)?.outdir ?? '.', 'member-assembly'),
    );
    // Uploaded to this account's CDK bootstrap bucket; CloudFormation StackSets reads it from
    // there with this account's deployment role, so no bucket has to be shared with the members.
    const templateAsset = new Asset(this, 'MemberTemplate', { path: this.memberTemplate.templateFile });

    this.stackSet = new CfnStackSet(this, 'MemberStackSet', {
      stackSetName: STACKSET_NAME,
      description:
        'iam-unused-cleanup member resources: evaluator, its roles, remediation role, exclusions role.',
      permissionModel: 'SERVICE_MANAGED',
      callAs: 'DELEGATED_ADMIN',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: org.retainStacksOnAccountRemoval },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      templateUrl: templateAsset.httpUrl,
      managedExecution: { Active: true },
      operationPreferences: { ...STACKSET_OPERATION_PREFERENCES },
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...org.targetOrganizationalUnitIds] },
          regions: [settings.homeRegion],
        },
      ],
    });

    this.packYaml = packTemplateToYaml(organizationPackTemplate(settings));
    this.conformancePack = new CfnOrganizationConformancePack(this, 'ConformancePack', {
      organizationConformancePackName: ORG_CONFORMANCE_PACK_NAME,
      templateBody: this.packYaml,
      excludedAccounts: packExcludedAccounts(org),
    });
    // The custom rule fails to create where the evaluator and its permission do not exist yet.
    this.conformancePack.addResourceDependency(this.stackSet);
    const scopeWarning = packScopeWarning(org);
    if (scopeWarning !== undefined) Annotations.of(this).addWarningV2('iam-unused:pack-scope', scopeWarning);

    const aggregatorRole = new Role(this, 'AggregatorRole', {
      // Confused deputy: only Config acting for this account. The aggregator's ARN carries an id
      // Config generates, so no aws:SourceArn (docs/exclusions-safety.md, section 7).
      assumedBy: new ServicePrincipal(ORGANIZATION_SERVICE_PRINCIPALS.config, {
        conditions: { StringEquals: { 'aws:SourceAccount': org.delegatedAdminAccountId } },
      }),
      description: 'Lets the iam-unused-cleanup aggregator list the accounts of the organization.',
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSConfigRoleForOrganizations')],
    });
    Validations.of(aggregatorRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSConfigRoleForOrganizations]',
      reason:
        'The AWS-maintained policy made for organization aggregators: read-only Organizations calls (accounts, organization, service access) and nothing else.',
    });
    this.aggregator = new CfnConfigurationAggregator(this, 'Aggregator', {
      configurationAggregatorName: AGGREGATOR_NAME,
      organizationAggregationSource: {
        roleArn: aggregatorRole.roleArn,
        // The rule runs in the home region only.
        awsRegions: [settings.homeRegion],
        allAwsRegions: false,
      },
    });

    new CfnOutput(this, 'StackSetName', { value: STACKSET_NAME });
    new CfnOutput(this, 'ConformancePackName', { value: ORG_CONFORMANCE_PACK_NAME });
    new CfnOutput(this, 'AggregatorName', { value: AGGREGATOR_NAME });
  }
}
