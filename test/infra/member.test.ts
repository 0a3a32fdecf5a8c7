import { createRequire } from 'node:module';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_EXCLUSION_PARAMETER_NAME,
  EVALUATOR_ALARM_NAME,
  EVALUATOR_FUNCTION_NAME,
  EXCLUSIONS_ROLE_NAME,
  REEVALUATE_FUNCTION_NAME,
  REMEDIATION_ROLE_NAME,
  RULE_PARAMETER_KEYS,
  RUNBOOK,
} from '../../conformance-pack/names';
import { bundleLambda } from '../../infra/bundle';
import { type SynthesizedMemberTemplate, synthesizeMemberTemplate } from '../../infra/member-template';
import { readValidationViolations } from '../../infra/nag';
import { tempOutdir } from './fixtures';

const PARTITION = { Ref: 'AWS::Partition' };
const REGION = { Ref: 'AWS::Region' };
const ACCOUNT = { Ref: 'AWS::AccountId' };
const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
const USERS = join('arn:', PARTITION, ':iam::', ACCOUNT, ':user/*');
const RULES = join('arn:', PARTITION, ':config:', REGION, ':', ACCOUNT, ':config-rule/*');
const PARAMETER = join(
  'arn:',
  PARTITION,
  ':ssm:',
  REGION,
  ':',
  ACCOUNT,
  `:parameter${DEFAULT_EXCLUSION_PARAMETER_NAME}`,
);

let member: SynthesizedMemberTemplate;
let template: Template;
// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON, asserted field by field
type Json = any;
let resources: Record<string, { Type: string; Properties: Record<string, Json> }>;

function resource(type: string, logicalIdPrefix: string) {
  const found = Object.entries(resources).filter(
    ([id, r]) => r.Type === type && id.startsWith(logicalIdPrefix),
  );
  expect(found, `${type} ${logicalIdPrefix}`).toHaveLength(1);
  return (found[0] as [string, { Properties: Record<string, Json> }])[1].Properties;
}
/** Statement → [Sid, Action, Resource], exact. */
function statements(roleProps: Record<string, Json>) {
  expect(roleProps.ManagedPolicyArns).toBeUndefined();
  expect(roleProps.Policies).toHaveLength(1);
  return roleProps.Policies[0].PolicyDocument.Statement.map((s: Json) => {
    expect(s.Effect).toBe('Allow');
    expect(Object.keys(s).sort()).toEqual(['Action', 'Effect', 'Resource', 'Sid']);
    return [s.Sid, s.Action, s.Resource];
  });
}

beforeAll(() => {
  member = synthesizeMemberTemplate(
    {
      exclusionParameterName: DEFAULT_EXCLUSION_PARAMETER_NAME,
      logRetention: RetentionDays.ONE_YEAR,
      exclusionsTrustedAccountId: '222222222222',
      exclusionsExtraPrincipal: 'arn:aws:iam::555555555555:role/Operators',
    },
    tempOutdir(),
  );
  template = Template.fromJSON(member.template);
  resources = member.template.Resources as typeof resources;
});

describe('member template', () => {
  it('stays well under the 1 MB TemplateURL limit and needs no bootstrap or asset', () => {
    expect(member.bytes).toBeLessThan(300 * 1024);
    expect(member.template.Parameters).toBeUndefined();
    expect(member.template.Rules).toBeUndefined();
    expect(JSON.stringify(member.template)).not.toContain('cdk-hnb659fds');
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    expect(readValidationViolations(member.assemblyDirectory)).toEqual([]);
  });

  it('runs the bundled evaluator inline on the newest Node.js runtime', () => {
    const fn = resource('AWS::Lambda::Function', 'MemberEvaluator');
    expect(fn).toMatchObject({
      FunctionName: EVALUATOR_FUNCTION_NAME,
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 900,
    });
    expect(fn.Code.ZipFile).toBe(bundleLambda('evaluator'));
    expect(fn.Code.ZipFile).toContain(RULE_PARAMETER_KEYS.exclusionParameterName);
    expect(fn.LoggingConfig.LogGroup.Ref).toMatch(/^MemberEvaluatorLogs/);
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `/aws/lambda/${EVALUATOR_FUNCTION_NAME}`,
      RetentionInDays: 365,
    });
  });

  it('inline bundles are CommonJS modules that export handler (AWS SDK left to the runtime)', () => {
    const requireFromHere = createRequire(import.meta.url);
    for (const entry of ['evaluator', 'reevaluate'] as const) {
      const code = bundleLambda(entry);
      expect(code).not.toMatch(/\bimport\s*\{|\bexport\s*\{/);
      const module = { exports: {} as Record<string, unknown> };
      new Function('module', 'exports', 'require', code)(module, module.exports, requireFromHere);
      expect(typeof module.exports.handler, entry).toBe('function');
    }
  });

  it('lets only Config of this account invoke the evaluator', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'config.amazonaws.com',
      SourceAccount: ACCOUNT,
    });
  });

  it('evaluator role: exactly the reads the evaluator makes', () => {
    const role = resource('AWS::IAM::Role', 'MemberEvaluatorRole');
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    expect(statements(role)).toEqual([
      [
        'ReadUserCredentials',
        ['iam:GetLoginProfile', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed'],
        USERS,
      ],
      [
        'ListUsersAndCredentialReport',
        ['iam:ListUsers', 'iam:GenerateCredentialReport', 'iam:GetCredentialReport'],
        '*',
      ],
      ['ReadExclusionList', 'ssm:GetParameter', PARAMETER],
      ['PutEvaluations', 'config:PutEvaluations', '*'],
      ['ReadEarlierResults', 'config:GetComplianceDetailsByConfigRule', RULES],
      [
        'WriteOwnLogs',
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        { 'Fn::GetAtt': [expect.stringMatching(/^MemberEvaluatorLogs/), 'Arn'] },
      ],
    ]);
  });

  it("remediation role: the runbook's actions, trusted by SSM of this account", () => {
    const role = resource('AWS::IAM::Role', 'MemberRemediationRole');
    expect(role.RoleName).toBe(REMEDIATION_ROLE_NAME);
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'ssm.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
    ]);
    expect(statements(role)).toEqual([
      [
        'RevokeUnusedCredentials',
        [
          'iam:GetUser',
          'iam:GetLoginProfile',
          'iam:DeleteLoginProfile',
          'iam:ListAccessKeys',
          'iam:GetAccessKeyLastUsed',
          'iam:UpdateAccessKey',
        ],
        USERS,
      ],
      ['FindUserByResourceId', 'config:ListDiscoveredResources', '*'],
      [
        'RunAutomation',
        'ssm:StartAutomationExecution',
        join('arn:', PARTITION, ':ssm:', REGION, `:*:automation-definition/${RUNBOOK.documentName}:*`),
      ],
      [
        'ReadAutomation',
        'ssm:GetAutomationExecution',
        join('arn:', PARTITION, ':ssm:', REGION, ':', ACCOUNT, ':automation-execution/*'),
      ],
    ]);
  });

  it('exclusions role: trusted by the delegated admin and the extra principal only', () => {
    const role = resource('AWS::IAM::Role', 'MemberExclusionsRole');
    expect(role.RoleName).toBe(EXCLUSIONS_ROLE_NAME);
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: join('arn:', PARTITION, ':iam::222222222222:root') },
      },
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::555555555555:role/Operators' },
      },
    ]);
    expect(statements(role)).toEqual([
      [
        'ReadWriteExclusionList',
        ['ssm:GetParameter', 'ssm:GetParameterHistory', 'ssm:PutParameter'],
        PARAMETER,
      ],
      [
        'ReadRuleStatus',
        [
          'config:DescribeConfigRules',
          'config:DescribeConfigRuleEvaluationStatus',
          'config:DescribeRemediationExecutionStatus',
        ],
        '*',
      ],
    ]);
  });

  it('re-evaluates the rule when the exclusion parameter changes', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ssm'],
        'detail-type': ['Parameter Store Change'],
        detail: { name: [DEFAULT_EXCLUSION_PARAMETER_NAME] },
      },
    });
    const fn = resource('AWS::Lambda::Function', 'MemberReevaluate');
    expect(fn).toMatchObject({
      FunctionName: REEVALUATE_FUNCTION_NAME,
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
    });
    expect(fn.Code.ZipFile).toBe(bundleLambda('reevaluate'));
    expect(statements(resource('AWS::IAM::Role', 'MemberReevaluateRole'))).toEqual([
      ['FindRule', 'config:DescribeConfigRules', '*'],
      ['StartEvaluation', 'config:StartConfigRulesEvaluation', RULES],
      [
        'WriteOwnLogs',
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        { 'Fn::GetAtt': [expect.stringMatching(/^MemberReevaluateLogs/), 'Arn'] },
      ],
    ]);
  });

  it('alarms on any evaluator error', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: EVALUATOR_ALARM_NAME,
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('holds only the member resources', () => {
    const types = Object.values(resources)
      .map((r) => r.Type)
      .sort();
    expect(types).toEqual([
      'AWS::CloudWatch::Alarm',
      'AWS::Events::Rule',
      'AWS::IAM::Role',
      'AWS::IAM::Role',
      'AWS::IAM::Role',
      'AWS::IAM::Role',
      'AWS::Lambda::Function',
      'AWS::Lambda::Function',
      'AWS::Lambda::Permission',
      'AWS::Lambda::Permission',
      'AWS::Logs::LogGroup',
      'AWS::Logs::LogGroup',
    ]);
  });
});
