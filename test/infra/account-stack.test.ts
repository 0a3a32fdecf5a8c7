import { App, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PACK_LOGICAL_IDS, PACK_TEMPLATE_BODY_LIMIT_BYTES } from '../../conformance-pack/builder';
import { ACCOUNT_CONFORMANCE_PACK_NAME, ACCOUNT_STACK_NAME } from '../../conformance-pack/names';
import type { AccountStack } from '../../infra/account-stack';
import { buildApp } from '../../infra/build-app';
import { synthesizeMemberTemplate } from '../../infra/member-template';
import { readValidationViolations } from '../../infra/nag';
import { parseSettings } from '../../infra/parse-settings';
import { logRetentionOf } from '../../infra/settings';
import { cdkJsonContext, TEST_EXCLUSIONS_ADMINS, tempOutdir } from './fixtures';

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON, asserted field by field
type Json = any;

let stack: AccountStack;
let template: Template;
let assemblyDirectory: string;
const settings = parseSettings({ ...cdkJsonContext(), mode: 'account' });

beforeAll(() => {
  const app = new App({ outdir: tempOutdir() });
  const built = buildApp(app, settings);
  assemblyDirectory = app.synth().directory;
  if (built.accountStack === undefined) throw new Error('account mode must build the account stack');
  expect(built.adminStack).toBeUndefined();
  stack = built.accountStack;
  template = Template.fromStack(stack);
});

describe('account stack (single-account mode)', () => {
  it('is environment-agnostic for the account, in the home region', () => {
    expect(stack.stackName).toBe(ACCOUNT_STACK_NAME);
    expect(stack.region).toBe('eu-west-1');
    expect(Token.isUnresolved(stack.account)).toBe(true);
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(readValidationViolations(assemblyDirectory)).toEqual([]);
  });

  it('holds exactly the resources of the StackSet member template (same construct), plus the pack', () => {
    const member = synthesizeMemberTemplate(
      {
        exclusionParameterName: settings.exclusionParameterName,
        logRetention: logRetentionOf(settings),
        exclusionsAdmins: TEST_EXCLUSIONS_ADMINS,
        evaluationFrequency: 'TwentyFour_Hours',
      },
      tempOutdir(),
    );
    const ids = (resources: Record<string, { Type: string }>) =>
      Object.entries(resources)
        // The EventBridge target's permission id embeds the stack name; compare its type only.
        .map(([id, r]) => (id.includes('AllowEventRule') ? r.Type : `${id} ${r.Type}`))
        .sort();
    const accountResources = template.toJSON().Resources as Record<string, { Type: string }>;
    const packId = Object.keys(template.findResources('AWS::Config::ConformancePack'));
    expect(packId).toHaveLength(1);
    const { [packId[0] as string]: _pack, ...memberPart } = accountResources;
    expect(ids(memberPart)).toEqual(ids(member.template.Resources as Record<string, { Type: string }>));
  });

  it('trusts only the configured roles for the exclusions role, never an account root alone', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'iam-unused-cleanup-exclusions',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
            Effect: 'Allow',
            Principal: {
              AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] },
            },
            Condition: {
              ArnLike: { 'aws:PrincipalArn': settings.exclusionsAdmins.arns },
              StringLike: { 'sts:SourceIdentity': '?*', 'sts:RoleSessionName': 'iam-unused-*' },
            },
          },
        ],
      },
    });
  });

  it('passes the function and role ARNs directly into the account pack, after the invoke permission and the document', () => {
    const packs = template.findResources('AWS::Config::ConformancePack');
    const pack = Object.values(packs)[0] as { DependsOn: string[]; Properties: Record<string, Json> };
    expect(pack.Properties.ConformancePackName).toBe(ACCOUNT_CONFORMANCE_PACK_NAME);
    const permissionId = Object.keys(
      template.findResources('AWS::Lambda::Permission', {
        Properties: { Principal: 'config.amazonaws.com' },
      }),
    );
    const documentId = Object.keys(template.findResources('AWS::SSM::Document'));
    expect(documentId).toHaveLength(1);
    expect([...pack.DependsOn].sort()).toEqual([...permissionId, ...documentId].sort());

    const parts = pack.Properties.TemplateBody['Fn::Join'][1] as unknown[];
    const evaluatorId = Object.keys(
      template.findResources('AWS::Lambda::Function', {
        Properties: { FunctionName: 'iam-unused-cleanup-evaluator' },
      }),
    )[0];
    const roleId = Object.keys(
      template.findResources('AWS::IAM::Role', {
        Properties: { RoleName: 'iam-unused-cleanup-remediation' },
      }),
    )[0];
    expect(parts.filter((p) => typeof p !== 'string')).toEqual([
      { 'Fn::GetAtt': [evaluatorId, 'Arn'] },
      { 'Fn::GetAtt': [roleId, 'Arn'] },
    ]);
    // Put the ARNs back as text, as CloudFormation will, and read the pack.
    const body = parts.map((p) => (typeof p === 'string' ? p : `<${(p as Json)['Fn::GetAtt'][0]}>`)).join('');
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThan(PACK_TEMPLATE_BODY_LIMIT_BYTES);
    const parsed = parse(body) as { Resources: Record<string, { Properties: Record<string, Json> }> };
    expect(parsed.Resources[PACK_LOGICAL_IDS.rule]?.Properties.Source.SourceIdentifier).toBe(
      `<${evaluatorId}>`,
    );
    expect(
      parsed.Resources[PACK_LOGICAL_IDS.remediation]?.Properties.Parameters.AutomationAssumeRole.StaticValue
        .Values,
    ).toEqual([`<${roleId}>`]);
  });
});
