import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PACK_TEMPLATE_BODY_LIMIT_BYTES } from '../../conformance-pack/builder';
import {
  ADMIN_STACK_NAME,
  AGGREGATOR_NAME,
  ORG_CONFORMANCE_PACK_NAME,
  STACKSET_NAME,
} from '../../conformance-pack/names';
import {
  packExcludedAccounts,
  packScopeWarning,
  STACKSET_OPERATION_PREFERENCES,
} from '../../infra/admin-stack';
import { type BuiltApp, buildApp } from '../../infra/build-app';
import { readValidationViolations } from '../../infra/nag';
import { parseSettings } from '../../infra/parse-settings';
import { cdkJsonContext, tempOutdir } from './fixtures';

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON, asserted field by field
type Json = any;

let built: BuiltApp;
let template: Template;
let assemblyDirectory: string;

beforeAll(() => {
  const app = new App({ outdir: tempOutdir() });
  built = buildApp(
    app,
    parseSettings({
      ...cdkJsonContext(),
      mode: 'organization',
      targetOrganizationalUnitIds: ['ou-ab12-abcdefgh', 'ou-ab12-ijklmnop'],
      excludedAccountIds: ['333333333333', '111111111111'],
      retainStacksOnAccountRemoval: true,
    }),
  );
  // Throws on any unacknowledged cdk-nag error (the app runs in-memory under vitest).
  assemblyDirectory = app.synth().directory;
  if (built.adminStack === undefined) throw new Error('organization mode must build the admin stack');
  template = Template.fromStack(built.adminStack);
});

describe('delegated-admin stack', () => {
  it('synthesizes only the admin stack, in the delegated admin account and home region', () => {
    expect(built.accountStack).toBeUndefined();
    expect(built.adminStack?.stackName).toBe(ADMIN_STACK_NAME);
    expect(built.adminStack?.account).toBe('222222222222');
    expect(built.adminStack?.region).toBe('eu-west-1');
  });

  it('has no unacknowledged cdk-nag finding, in the admin stack or the member template', () => {
    expect(readValidationViolations(assemblyDirectory)).toEqual([]);
    expect(readValidationViolations(built.adminStack?.memberTemplate.assemblyDirectory ?? '')).toEqual([]);
  });

  it('creates the service-managed StackSet as delegated admin with auto-deployment', () => {
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackSetName: STACKSET_NAME,
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'DELEGATED_ADMIN',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      ManagedExecution: { Active: true },
      OperationPreferences: {
        FailureTolerancePercentage: STACKSET_OPERATION_PREFERENCES.failureTolerancePercentage,
        MaxConcurrentPercentage: STACKSET_OPERATION_PREFERENCES.maxConcurrentPercentage,
        RegionConcurrencyType: 'PARALLEL',
      },
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-abcdefgh', 'ou-ab12-ijklmnop'] },
          Regions: ['eu-west-1'],
        },
      ],
      TemplateURL: {
        'Fn::Sub': Match.stringLikeRegexp(
          '^https://s3\\.eu-west-1\\.\\$\\{AWS::URLSuffix\\}/cdk-hnb659fds-assets-222222222222-eu-west-1/[0-9a-f]{64}\\.json$',
        ),
      },
      Parameters: Match.absent(),
    });
  });

  it('points the StackSet at the synthesized member template', () => {
    const stackSet = Object.values(template.findResources('AWS::CloudFormation::StackSet'))[0];
    const url = stackSet?.Properties.TemplateURL['Fn::Sub'] as string;
    const assets = built.adminStack?.node.findChild('MemberTemplate') as unknown as { assetHash: string };
    expect(url.endsWith(`/${assets.assetHash}.json`)).toBe(true);
  });

  it('deploys the organization pack after the StackSet, excluding the management account', () => {
    const stackSetId = Object.keys(template.findResources('AWS::CloudFormation::StackSet'))[0];
    const packs = template.findResources('AWS::Config::OrganizationConformancePack');
    expect(Object.values(packs)).toHaveLength(1);
    const pack = Object.values(packs)[0] as { DependsOn: string[]; Properties: Record<string, Json> };
    expect(pack.DependsOn).toEqual([stackSetId]);
    expect(pack.Properties.OrganizationConformancePackName).toBe(ORG_CONFORMANCE_PACK_NAME);
    expect(pack.Properties.ExcludedAccounts).toEqual(['111111111111', '333333333333']);
    expect(pack.Properties.TemplateBody).toBe(built.adminStack?.packYaml);
    expect(Buffer.byteLength(pack.Properties.TemplateBody, 'utf8')).toBeLessThan(
      PACK_TEMPLATE_BODY_LIMIT_BYTES,
    );
    const body = parse(pack.Properties.TemplateBody) as { Resources: Record<string, { Type: string }> };
    expect(
      Object.values(body.Resources)
        .map((r) => r.Type)
        .sort(),
    ).toEqual(['AWS::Config::ConfigRule', 'AWS::Config::RemediationConfiguration']);
  });

  it('warns at synth that OU targets need the accounts outside them excluded from the pack', () => {
    Annotations.fromStack(built.adminStack as NonNullable<typeof built.adminStack>).hasWarning(
      '*',
      Match.stringLikeRegexp(
        '^targetOrganizationalUnitIds = \\["ou-ab12-abcdefgh","ou-ab12-ijklmnop"\\]: .*Add every account outside these OUs to excludedAccountIds',
      ),
    );
    const org = {
      delegatedAdminAccountId: '222222222222',
      managementAccountId: '111111111111',
      excludedAccountIds: [],
      retainStacksOnAccountRemoval: false,
    };
    expect(packScopeWarning({ ...org, targetOrganizationalUnitIds: ['r-ab12'] })).toBeUndefined();
    // The root already covers every account: the OUs add nothing the pack does not reach.
    expect(
      packScopeWarning({ ...org, targetOrganizationalUnitIds: ['r-ab12', 'ou-ab12-abcdefgh'] }),
    ).toBeUndefined();
    expect(packScopeWarning({ ...org, targetOrganizationalUnitIds: ['ou-ab12-abcdefgh'] })).toContain(
      'ou-ab12-abcdefgh',
    );
  });

  it('always puts the management account first among the excluded accounts', () => {
    expect(
      packExcludedAccounts({
        delegatedAdminAccountId: '222222222222',
        managementAccountId: '111111111111',
        targetOrganizationalUnitIds: ['r-ab12'],
        excludedAccountIds: [],
        retainStacksOnAccountRemoval: false,
      }),
    ).toEqual(['111111111111']);
  });

  it('creates the organization aggregator in the home region with its role', () => {
    template.hasResourceProperties('AWS::Config::ConfigurationAggregator', {
      ConfigurationAggregatorName: AGGREGATOR_NAME,
      OrganizationAggregationSource: {
        AllAwsRegions: false,
        AwsRegions: ['eu-west-1'],
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AggregatorRole'), 'Arn'] },
      },
    });
    // The whole role, exactly: an added statement, condition or policy fails this test.
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(1);
    expect(roles[0]?.Properties).toEqual({
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'config.amazonaws.com' },
            // Confused-deputy condition: Config acting for the delegated-admin account only.
            Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } },
          },
        ],
        Version: '2012-10-17',
      },
      Description: expect.any(String),
      ManagedPolicyArns: [
        {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':iam::aws:policy/service-role/AWSConfigRoleForOrganizations',
            ],
          ],
        },
      ],
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });
});

describe('organization+management-account mode', () => {
  it('adds the account stack for the management account, trusted by the delegated admin', () => {
    const app = new App({ outdir: tempOutdir() });
    const both = buildApp(
      app,
      parseSettings({ ...cdkJsonContext(), mode: 'organization+management-account' }),
    );
    app.synth();
    expect(both.adminStack).toBeDefined();
    expect(both.accountStack?.account).toBe('111111111111');
    const account = Template.fromStack(both.accountStack as NonNullable<typeof both.accountStack>);
    account.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'iam-unused-cleanup-exclusions',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
            Effect: 'Allow',
            Principal: {
              AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] },
            },
            // Only the configured operator roles of the delegated admin, each with a SourceIdentity.
            Condition: {
              ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::222222222222:role/IamUnusedOperators'] },
              StringLike: { 'sts:SourceIdentity': '?*', 'sts:RoleSessionName': 'iam-unused-*' },
            },
          },
        ],
      },
    });
    // The org pack still skips the management account: it gets the account pack instead.
    Template.fromStack(both.adminStack as NonNullable<typeof both.adminStack>).hasResourceProperties(
      'AWS::Config::OrganizationConformancePack',
      { ExcludedAccounts: ['111111111111'] },
    );
  });
});
