import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  EVALUATOR_FUNCTION_NAME,
  REMEDIATION_ROLE_NAME,
  RULE_PARAMETER_KEYS,
  RUNBOOK,
} from '../../conformance-pack/names';
import {
  CHECK_FUNCTION_NAME,
  CHECK_ROLE_NAME,
  EVALUATOR_ROLE_NAME,
  REMEDIATION_DOCUMENT_NAME,
} from '../../conformance-pack/safety-names';
import { WARNING_STATE_PARAMETER_NAME } from '../../evaluator/warnings/state';
import { bundleLambda } from '../../infra/bundle';
import { readValidationViolations } from '../../infra/nag';
import {
  ACCOUNT,
  HEARTBEAT,
  join,
  member,
  PARAMETER,
  PARTITION,
  REGION,
  RULES,
  resource,
  statements,
  template,
  USERS,
} from './member-fixture';

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
    expect(role.RoleName).toBe(EVALUATOR_ROLE_NAME);
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
      ['WriteHeartbeat', ['ssm:GetParameter', 'ssm:PutParameter'], HEARTBEAT],
      ['PutEvaluations', 'config:PutEvaluations', '*'],
      ['ReadEarlierResults', 'config:GetComplianceDetailsByConfigRule', RULES],
      // Revocation warnings (evaluator/warnings/): this account's default bus, tags, one parameter.
      [
        'PutWarningEvents',
        'events:PutEvents',
        join('arn:', PARTITION, ':events:', REGION, ':', ACCOUNT, ':event-bus/default'),
      ],
      ['ReadOwnerTags', 'iam:ListUserTags', USERS],
      [
        'WarningsLastDelivered',
        ['ssm:GetParameter', 'ssm:PutParameter'],
        join('arn:', PARTITION, ':ssm:', REGION, ':', ACCOUNT, `:parameter${WARNING_STATE_PARAMETER_NAME}`),
      ],
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
        Condition: {
          StringEquals: { 'aws:SourceAccount': ACCOUNT },
          ArnLike: {
            'aws:SourceArn': join('arn:', PARTITION, ':ssm:*:', ACCOUNT, ':automation-execution/*'),
          },
        },
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
      [
        'InvokeRevocationCheck',
        'lambda:InvokeFunction',
        join('arn:', PARTITION, ':lambda:', REGION, ':', ACCOUNT, `:function:${CHECK_FUNCTION_NAME}`),
      ],
      [
        'PassSelfToRunbook',
        'iam:PassRole',
        join('arn:', PARTITION, ':iam::', ACCOUNT, `:role/${REMEDIATION_ROLE_NAME}`),
        { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
      ],
    ]);
  });

  it('remediation document: our Automation document, checking with the check function', () => {
    const document = resource('AWS::SSM::Document', 'MemberRemediationDocument');
    expect(document).toMatchObject({
      Name: REMEDIATION_DOCUMENT_NAME,
      DocumentType: 'Automation',
      UpdateMethod: 'NewVersion',
      Content: { schemaVersion: '0.3' },
    });
    expect(document.Content.mainSteps[0].inputs.FunctionName).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^MemberCheck[0-9A-F]/), 'Arn'],
    });
    const check = resource('AWS::Lambda::Function', 'MemberCheck');
    expect(check).toMatchObject({ FunctionName: CHECK_FUNCTION_NAME, Handler: 'index.handler', Timeout: 60 });
    expect(check.Code.ZipFile).toBe(bundleLambda('check'));
    const role = resource('AWS::IAM::Role', 'MemberCheckRole');
    expect(role.RoleName).toBe(CHECK_ROLE_NAME);
    expect(statements(role)).toEqual([
      [
        'ReadOneUser',
        ['iam:GetUser', 'iam:GetLoginProfile', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed'],
        USERS,
      ],
      ['FindUserByResourceId', 'config:ListDiscoveredResources', '*'],
      ['ReadExclusionList', 'ssm:GetParameter', PARAMETER],
      [
        'WriteOwnLogs',
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        { 'Fn::GetAtt': [expect.stringMatching(/^MemberCheckLogs/), 'Arn'] },
      ],
    ]);
  });
});
