import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXCLUSION_PARAMETER_NAME,
  EVALUATOR_ALARM_NAME,
  EXCLUSIONS_ROLE_NAME,
  REEVALUATE_FUNCTION_NAME,
} from '../../conformance-pack/names';
import {
  EXCLUSION_CHANGE_RULE_NAME,
  HEARTBEAT_ALARM_NAME,
  REEVALUATE_DROPPED_ALARM_NAME,
  REEVALUATE_QUEUE_NAME,
} from '../../conformance-pack/safety-names';
import { bundleLambda } from '../../infra/bundle';
import { TEST_EXCLUSIONS_ADMINS } from './fixtures';
import {
  ACCOUNT,
  HEARTBEAT,
  type Json,
  join,
  PARAMETER,
  PARTITION,
  REGION,
  RULES,
  resource,
  resources,
  statements,
  template,
} from './member-fixture';

describe('member template (resources and permissions)', () => {
  it('evaluator: one run at a time, no asynchronous retries, invoked only by Config rules of this account', () => {
    expect(resource('AWS::Lambda::Function', 'MemberEvaluator').ReservedConcurrentExecutions).toBe(1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^MemberEvaluator[0-9A-F]{8}$') },
      MaximumRetryAttempts: 0,
      Qualifier: '$LATEST',
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'config.amazonaws.com',
      SourceAccount: ACCOUNT,
      SourceArn: RULES,
    });
  });

  it('exclusions role: trusted by the configured roles only, with a SourceIdentity', () => {
    const role = resource('AWS::IAM::Role', 'MemberExclusionsRole');
    expect(role.RoleName).toBe(EXCLUSIONS_ROLE_NAME);
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
        Effect: 'Allow',
        Principal: { AWS: join('arn:', PARTITION, ':iam::222222222222:root') },
        Condition: {
          ArnLike: { 'aws:PrincipalArn': [...TEST_EXCLUSIONS_ADMINS.arns] },
          StringLike: { 'sts:SourceIdentity': '?*', 'sts:RoleSessionName': 'iam-unused-*' },
        },
      },
    ]);
    expect(statements(role)).toEqual([
      [
        'ReadWriteExclusionList',
        ['ssm:GetParameter', 'ssm:GetParameterHistory', 'ssm:PutParameter'],
        PARAMETER,
      ],
      ['ReadHeartbeat', 'ssm:GetParameter', HEARTBEAT],
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

  it('re-evaluates the rule when the exclusion parameter changes, through a retrying queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: EXCLUSION_CHANGE_RULE_NAME,
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MemberChangeQueue[0-9A-F]{8}$'), 'Arn'] },
          Id: 'Target0',
        },
      ],
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
        'ConsumeChangeQueue',
        ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
        join('arn:', PARTITION, ':sqs:', REGION, ':', ACCOUNT, `:${REEVALUATE_QUEUE_NAME}`),
      ],
      [
        'WriteOwnLogs',
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        { 'Fn::GetAtt': [expect.stringMatching(/^MemberReevaluateLogs/), 'Arn'] },
      ],
    ]);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: REEVALUATE_QUEUE_NAME,
      VisibilityTimeout: 120,
      RedrivePolicy: { maxReceiveCount: 16, deadLetterTargetArn: Match.anyValue() },
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^MemberReevaluate[0-9A-F]{8}$') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // Only the rule may send to the queue (confused-deputy condition).
    const policies = Object.values(resources).filter((r) => r.Type === 'AWS::SQS::QueuePolicy');
    const sends = policies.flatMap((p) =>
      p.Properties.PolicyDocument.Statement.filter((st: Json) => st.Effect === 'Allow'),
    );
    expect(sends).toEqual([
      expect.objectContaining({
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Principal: { Service: 'events.amazonaws.com' },
        Condition: {
          ArnEquals: {
            'aws:SourceArn': {
              'Fn::GetAtt': [expect.stringMatching(/^MemberChangeQueueOnExclusionListChange/), 'Arn'],
            },
          },
        },
      }),
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: REEVALUATE_DROPPED_ALARM_NAME,
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
  });

  it('alarms when no heartbeat arrives for two periods of the rule frequency (missing data breaches)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: HEARTBEAT_ALARM_NAME,
      Namespace: 'IamUnusedCleanup',
      MetricName: 'Heartbeat',
      Dimensions: [{ Name: 'Service', Value: 'iam-unused-cleanup-evaluator' }],
      Statistic: 'Sum',
      Period: 86_400,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
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
      'AWS::CloudWatch::Alarm',
      'AWS::CloudWatch::Alarm',
      'AWS::Events::Rule',
      'AWS::IAM::Role',
      'AWS::IAM::Role',
      'AWS::IAM::Role',
      'AWS::IAM::Role',
      'AWS::IAM::Role',
      'AWS::KMS::Key',
      'AWS::Lambda::EventInvokeConfig',
      'AWS::Lambda::EventSourceMapping',
      'AWS::Lambda::Function',
      'AWS::Lambda::Function',
      'AWS::Lambda::Function',
      'AWS::Lambda::Permission',
      'AWS::Logs::LogGroup',
      'AWS::Logs::LogGroup',
      'AWS::Logs::LogGroup',
      'AWS::SNS::Topic',
      'AWS::SNS::TopicPolicy',
      'AWS::SQS::Queue',
      'AWS::SQS::Queue',
      'AWS::SQS::QueuePolicy',
      'AWS::SQS::QueuePolicy',
      'AWS::SSM::Document',
    ]);
  });
});
