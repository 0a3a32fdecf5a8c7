import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/build-app';
import { parseSettings } from '../../../infra/parse-settings';
import {
  ACCOUNTS_FAILING_ALARM_NAME,
  PAUSE_PARAMETER_NAME,
  RECONCILER_ALARM_NAME,
  RECONCILER_FUNCTION_NAME,
  ROLLOUT_METRICS,
} from '../../../infra/rollout/contract';
import { parseReconcilerSpec } from '../../../infra/rollout/spec';
import { cdkJsonContext, tempOutdir } from '../fixtures';

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON, asserted field by field
type Json = any;
let template: Template;
let outdir: string;

beforeAll(() => {
  outdir = tempOutdir();
  const app = new App({ outdir });
  const built = buildApp(
    app,
    parseSettings({ ...cdkJsonContext(), alarmEmails: ['ops@example.com'], rolloutAlarmAfterHours: 36 }),
  );
  app.synth();
  template = Template.fromStack(built.adminStack as NonNullable<typeof built.adminStack>);
});

describe('rollout reconciler in the delegated-admin stack', () => {
  it('ships its spec next to its code: the pack options, the excluded accounts, the alarm delay', () => {
    const file = path.join(outdir, 'reconciler-code', 'spec.json');
    expect(existsSync(path.join(outdir, 'reconciler-code', 'index.js'))).toBe(true);
    const spec = parseReconcilerSpec(readFileSync(file, 'utf8'), file);
    expect(spec).toMatchObject({
      excludedAccounts: ['111111111111'],
      alarmAfterHours: 36,
      homeRegion: 'eu-west-1',
    });
  });

  it('runs one at a time, on the hour, on StackSet instances becoming CURRENT and on the pause parameter', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: RECONCILER_FUNCTION_NAME,
      ReservedConcurrentExecutions: 1,
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudformation'],
        'detail-type': ['CloudFormation StackSet StackInstance Status Change'],
        detail: { 'status-details': { status: ['CURRENT'] } },
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.ssm'], detail: { name: [PAUSE_PARAMETER_NAME] } },
    });
  });

  it('puts the pack at deploy time through a custom resource that waits for the StackSet', () => {
    const stackSetId = Object.keys(template.findResources('AWS::CloudFormation::StackSet'))[0] as string;
    const [deployment] = Object.values(
      template.findResources('Custom::OrganizationConformancePack'),
    ) as Json[];
    expect(deployment.DependsOn).toContain(stackSetId);
    expect(deployment.Properties.SpecHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('alarms reach the operators: both go to the encrypted topic, subscribed by e-mail', () => {
    // The alarm topic (the warnings hub has a topic of its own, for owners, not alarms).
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic')).find((id) =>
      id.startsWith('AlertingTopic'),
    ) as string;
    expect(topicId).toBeDefined();
    for (const name of [ACCOUNTS_FAILING_ALARM_NAME, RECONCILER_ALARM_NAME]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: name,
        AlarmActions: [{ Ref: topicId }],
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: ACCOUNTS_FAILING_ALARM_NAME,
      Namespace: ROLLOUT_METRICS.namespace,
      MetricName: ROLLOUT_METRICS.failingTooLong,
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `/aws/lambda/${RECONCILER_FUNCTION_NAME}`,
      KmsKeyId: Match.anyValue(),
    });
  });

  it('has exactly the permissions it uses', () => {
    const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([id]) =>
      id.startsWith('ReconcilerRole'),
    );
    expect(roles).toHaveLength(1);
    const props = (roles[0] as [string, Json])[1].Properties;
    expect(props.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    const statements = props.Policies[0].PolicyDocument.Statement.map((s: Json) => [s.Sid, s.Action]);
    expect(statements).toEqual([
      [
        'OrganizationPack',
        [
          'config:PutOrganizationConformancePack',
          'config:DeleteOrganizationConformancePack',
          'config:GetOrganizationConformancePackDetailedStatus',
        ],
      ],
      [
        'DelegatedAdministratorChecks',
        [
          'organizations:DescribeOrganization',
          'organizations:ListAWSServiceAccessForOrganization',
          'organizations:ListDelegatedAdministrators',
        ],
      ],
      ['ConfigServiceLinkedRole', 'iam:CreateServiceLinkedRole'],
      [
        'ReadStackSetInstances',
        ['cloudformation:DescribeStackInstance', 'cloudformation:ListStackInstances'],
      ],
      ['ReadRecordedIamUsers', 'config:GetAggregateDiscoveredResourceCounts'],
      ['ReadRolloutState', 'ssm:GetParametersByPath'],
      ['WriteRolloutState', ['ssm:PutParameter', 'ssm:DeleteParameters', 'ssm:DeleteParameter']],
      ['WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents']],
    ]);
    const byId = Object.fromEntries(props.Policies[0].PolicyDocument.Statement.map((s: Json) => [s.Sid, s]));
    expect(byId.ConfigServiceLinkedRole.Condition).toEqual({
      StringEquals: { 'iam:AWSServiceName': 'config-multiaccountsetup.amazonaws.com' },
    });
    expect(byId.ReadRecordedIamUsers.Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^Aggregator/), 'ConfigurationAggregatorArn'],
    });
  });
});
