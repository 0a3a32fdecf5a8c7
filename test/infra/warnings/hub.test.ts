import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { RUNBOOK } from '../../../conformance-pack/names';
import { WARNING_DETAIL_TYPE, WARNING_EVENT_SOURCE } from '../../../evaluator/warnings/event';
import { buildApp, REPOSITORY_ROOT } from '../../../infra/build-app';
import { parseSettings } from '../../../infra/parse-settings';
import { cdkJsonContext, tempOutdir } from '../fixtures';

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON
type Json = any;
const BUS = 'arn:aws:events:eu-west-1:222222222222:event-bus/iam-unused-cleanup';

function build(overrides: Record<string, unknown> = {}) {
  const app = new App({ outdir: tempOutdir() });
  const built = buildApp(app, parseSettings({ ...cdkJsonContext(), ...overrides }));
  const admin = built.adminStack;
  if (admin === undefined) throw new Error('organization mode builds the admin stack');
  return {
    admin,
    template: Template.fromStack(admin),
    member: Template.fromJSON(admin.memberTemplate.template),
  };
}

/** The statements of the role whose logical id starts with `prefix`: [Sid, Action, Resource]. */
function statementsOf(template: Template, prefix: string): Json[] {
  const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([id]) =>
    id.startsWith(prefix),
  );
  expect(roles, prefix).toHaveLength(1);
  const role = (roles[0] as [string, Json])[1];
  return role.Properties.Policies.flatMap((p: Json) => p.PolicyDocument.Statement).map((s: Json) => [
    s.Sid,
    s.Action,
    s.Resource,
  ]);
}

let org: ReturnType<typeof build>;
beforeAll(() => {
  org = build();
});

describe('member forwarding', () => {
  it('forwards warnings and the runbook final statuses to the central bus', () => {
    org.member.hasResourceProperties('AWS::Events::Rule', {
      Name: 'iam-unused-cleanup-forward-warnings',
      EventPattern: { source: [WARNING_EVENT_SOURCE], 'detail-type': [WARNING_DETAIL_TYPE] },
      Targets: [
        Match.objectLike({
          Arn: BUS,
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MemberForwardEventsRole'), 'Arn'] },
        }),
      ],
    });
    org.member.hasResourceProperties('AWS::Events::Rule', {
      Name: 'iam-unused-cleanup-forward-remediation',
      EventPattern: {
        source: ['aws.ssm'],
        'detail-type': ['EC2 Automation Execution Status-change Notification'],
        detail: {
          Definition: [RUNBOOK.documentName],
          Status: ['Success', 'Failed', 'TimedOut', 'Cancelled'],
        },
      },
      Targets: [Match.objectLike({ Arn: BUS })],
    });
  });

  it('the forwarding role: EventBridge of this account for our two rules, PutEvents on the central bus only', () => {
    const roles = org.member.findResources('AWS::IAM::Role', {
      Properties: { RoleName: 'iam-unused-cleanup-forward-events' },
    });
    const role = Object.values(roles)[0] as Json;
    const ruleArn = (name: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':events:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:rule/${name}`,
        ],
      ],
    });
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnEquals: {
            'aws:SourceArn': [
              ruleArn('iam-unused-cleanup-forward-warnings'),
              ruleArn('iam-unused-cleanup-forward-remediation'),
            ],
          },
        },
      },
    ]);
    expect(statementsOf(org.member, 'MemberForwardEventsRole')).toEqual([
      ['PutOnCentralBus', 'events:PutEvents', BUS],
    ]);
  });
});

describe('central hub (delegated-admin account)', () => {
  it('the bus admits PutEvents from principals of the organization only', () => {
    const policies = Object.values(org.template.findResources('AWS::Events::EventBusPolicy')) as Json[];
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.Statement).toEqual({
      Sid: 'OrganizationAccountsPutEvents',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'events:PutEvents',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^WarningsBus/), 'Arn'] },
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    });
  });

  it('encrypts the topic with a rotated KMS key, enforces TLS, subscribes the emails', () => {
    org.template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'iam-unused-cleanup-notifications',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarningsTopicKey'), 'Arn'] },
    });
    org.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    org.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
    org.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'security@example.com',
    });
  });

  it('routes warnings to the notify function, archives both event kinds, and runs the digest daily', () => {
    org.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: [WARNING_EVENT_SOURCE], 'detail-type': [WARNING_DETAIL_TYPE] },
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarningsNotify'), 'Arn'] } }),
      ],
    });
    org.template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'iam-unused-cleanup-archive-events',
      EventPattern: {
        source: [WARNING_EVENT_SOURCE, 'aws.ssm'],
        'detail-type': [WARNING_DETAIL_TYPE, 'EC2 Automation Execution Status-change Notification'],
      },
    });
    org.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 7 * * ? *)' });
    const archivePolicy = Object.values(org.template.findResources('AWS::Logs::ResourcePolicy'))[0] as Json;
    const document = JSON.stringify(archivePolicy.Properties.PolicyDocument);
    expect(document).toContain('aws:SourceArn');
    expect(document).toContain('rule/iam-unused-cleanup/iam-unused-cleanup-archive-events');
  });

  it('least privilege: notify publishes; digest publishes and queries the archive', () => {
    const publish = [
      ['PublishToTopic', 'sns:Publish', { Ref: expect.stringMatching(/^WarningsTopic/) }],
      [
        'EncryptForTopic',
        ['kms:GenerateDataKey', 'kms:Decrypt'],
        { 'Fn::GetAtt': [expect.stringMatching(/^WarningsTopicKey/), 'Arn'] },
      ],
    ];
    const logs = ['WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], expect.anything()];
    expect(statementsOf(org.template, 'WarningsNotifyRole')).toEqual([...publish, logs]);
    expect(statementsOf(org.template, 'WarningsDigestRole')).toEqual([
      ...publish,
      [
        'QueryArchive',
        'logs:StartQuery',
        { 'Fn::GetAtt': [expect.stringMatching(/^WarningsArchive/), 'Arn'] },
      ],
      ['ReadQueryResults', 'logs:GetQueryResults', '*'],
      logs,
    ]);
  });

  it('each function role holds exactly the operations its code sends (SNS Publish; Logs Insights via the port)', () => {
    const notify = readFileSync(path.join(REPOSITORY_ROOT, 'infra/lambda/warning-notify.ts'), 'utf8');
    const digest = readFileSync(path.join(REPOSITORY_ROOT, 'infra/lambda/warnings/logs-archive.ts'), 'utf8');
    expect(notify.match(/new (\w+)Command\(/g)).toEqual(['new PublishCommand(']);
    expect(digest.match(/sdk\.(\w+)Command\(/g)).toEqual([
      'sdk.StartQueryCommand(',
      'sdk.GetQueryResultsCommand(',
    ]);
  });
});

describe('routing switches', () => {
  it('without organizationId: no hub, no forwarding, and a synth warning', () => {
    const { admin, template, member } = build({ organizationId: undefined });
    expect(admin.warnings).toEqual({ centralEventBusArn: undefined, hub: undefined });
    expect(Object.keys(template.findResources('AWS::Events::EventBus'))).toEqual([]);
    expect(Object.keys(member.findResources('AWS::Events::Rule'))).toHaveLength(1); // the re-evaluate rule only
    const warnings = admin.node.metadata
      .filter((m) => m.type === 'aws:cdk:warning')
      .map((m) => String(m.data));
    expect(warnings.some((w) => w.includes('organizationId is not set'))).toBe(true);
  });

  it('warnDaysBeforeRevoke 0: no hub and no forwarding', () => {
    const { template, member } = build({ warnDaysBeforeRevoke: 0 });
    // Only the alarm topic (infra/alerting.ts) remains: no notification topic.
    expect(
      Object.keys(template.findResources('AWS::SNS::Topic')).filter((id) => !id.startsWith('AlertingTopic')),
    ).toEqual([]);
    expect(Object.keys(member.findResources('AWS::Events::Rule'))).toHaveLength(1);
  });

  it('account mode: the hub and the forwarding in the one account, the bus without an organization policy', () => {
    const app = new App({ outdir: tempOutdir() });
    const stack = buildApp(app, parseSettings({ ...cdkJsonContext(), mode: 'account' })).accountStack;
    if (stack === undefined) throw new Error('account mode builds the account stack');
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::Events::EventBusPolicy'))).toEqual([]);
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'iam-unused-cleanup-forward-warnings',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarningsBus'), 'Arn'] } })],
    });
  });
});
