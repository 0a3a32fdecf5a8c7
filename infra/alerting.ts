import { Duration, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlertingProps {
  /** Subscribed to the topic; each address confirms once per account. @default none */
  readonly emails?: readonly string[];
  readonly topicName: string;
  readonly description: string;
}

/**
 * One customer-managed KMS key per account ($1 a month, plus requests) that encrypts the log
 * groups and the alarm topic, and the topic every alarm of the account notifies. Control Tower
 * proactive controls CT.CLOUDWATCH.PR.1 (alarm action) and CT.CLOUDWATCH.PR.3 (log groups
 * encrypted with KMS) ask for both; CT.KMS.PR.1 and CT.KMS.PR.3 shape the key.
 */
export class Alerting extends Construct {
  readonly key: Key;
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
    });
    shapeKeyForControlTower(this.key);
    // CloudWatch alarms publish to the encrypted topic. AWS documents this statement without a
    // condition; the key serves nothing but this account's topic and log groups.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AlarmsPublishToTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: 'iam-unused-cleanup alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.emails ?? []) this.topic.addSubscription(new EmailSubscription(email));
  }

  /** Sends the alarm (and its return to OK) to the operators' topic. */
  notify(alarm: Alarm): void {
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}

/**
 * The key policy statements Control Tower's proactive controls ask of a key that encrypts log
 * groups: grants only for AWS services (CT.KMS.PR.3), and CloudWatch Logs may use it for this
 * account's log groups only (encryption context; CT.CLOUDWATCH.PR.3).
 */
export function shapeKeyForControlTower(key: Key): void {
  const stack = Stack.of(key);
  // CT.KMS.PR.3: grants only for AWS services acting for us.
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'GrantsOnlyForAwsServices',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: {
        BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
      },
    }),
  );
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'LogGroupsOfThisAccount',
      principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`,
        },
      },
    }),
  );
}
