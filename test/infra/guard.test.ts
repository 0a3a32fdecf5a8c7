import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { synthesizeMemberTemplate } from '../../infra/member-template';
import { addNagChecks, readValidationViolations } from '../../infra/nag';
import { TEST_EXCLUSIONS_ADMINS, tempOutdir } from './fixtures';

const MEMBER_PROPS = {
  exclusionParameterName: '/iam-unused-user-cleanup/excluded-users',
  logRetention: RetentionDays.ONE_YEAR,
  exclusionsAdmins: TEST_EXCLUSIONS_ADMINS,
  evaluationFrequency: 'TwentyFour_Hours' as const,
};

describe('Control Tower proactive controls at synth (cfn-guard, offline)', () => {
  it('reports an alarm without action and a log group without KMS, as the hooks would', () => {
    const outdir = tempOutdir();
    const app = new App({ outdir });
    addNagChecks(app);
    const stack = new Stack(app, 'Bad');
    new Alarm(stack, 'NoAction', {
      metric: new Metric({ namespace: 'x', metricName: 'y' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    new LogGroup(stack, 'Plain', { retention: RetentionDays.ONE_YEAR });
    let synthError: unknown;
    try {
      app.synth();
    } catch (error) {
      synthError = error; // the report is written before synth fails on the findings
    }
    const rules = readValidationViolations(outdir).map((v) => v.ruleName);
    expect(rules).toEqual(
      expect.arrayContaining(['cloudwatch_alarm_action_check', 'cloudwatch_log_group_encrypted_check']),
    );
    expect(synthError === undefined || synthError instanceof Error).toBe(true);
  });

  it('passes Control Tower proactive controls: alarm action to a KMS-encrypted topic, encrypted log groups', () => {
    const t = Template.fromJSON(synthesizeMemberTemplate(MEMBER_PROPS, tempOutdir()).template);
    const topicId = Object.keys(t.findResources('AWS::SNS::Topic'))[0] as string;
    const keyId = Object.keys(t.findResources('AWS::KMS::Key'))[0] as string;
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ActionsEnabled: Match.absent(),
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
    for (const group of Object.values(t.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      expect(group.Properties.RetentionInDays).toBeGreaterThanOrEqual(365);
    }
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'kms:CreateGrant',
            Condition: {
              BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
            },
          }),
        ]),
      },
    });
  });
});
