import { Duration } from 'aws-cdk-lib';
import { CfnEventBusPolicy, EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { AnyPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { WARNING_DETAIL_TYPE, WARNING_EVENT_SOURCE } from '../../evaluator/warnings/event';
import { shapeKeyForControlTower } from '../alerting';
import { addInlineFunction } from '../member/inline-function';
import { acknowledgeWildcard } from '../member/scope';
import { archiveEvents } from './archive';
import {
  ARCHIVE_LOG_GROUP_NAME,
  CENTRAL_EVENT_BUS_NAME,
  DIGEST_FUNCTION_NAME,
  NOTIFICATION_TOPIC_NAME,
  NOTIFY_FUNCTION_NAME,
} from './names';

export interface WarningsHubProps {
  /** Only accounts of this organization may put events on the bus; undefined: this account only. */
  readonly organizationId: string | undefined;
  readonly notificationEmails: readonly string[];
  /** Retention of the two functions' log groups. */
  readonly logRetention: RetentionDays;
}

/**
 * The central end of the warnings (delegated-admin account, or the single account): the bus the
 * members forward to, a KMS-encrypted SNS topic, a function that publishes each warning with the
 * owner tags as message attributes, an archive log group of every forwarded event (EventBridge
 * writes it, 30 days) and the daily digest that reads it back.
 */
export class WarningsHub extends Construct {
  readonly bus: EventBus;
  readonly topic: Topic;
  readonly key: Key;
  readonly archive: LogGroup;
  readonly notify: LambdaFn;
  readonly digest: LambdaFn;

  constructor(scope: Construct, id: string, props: WarningsHubProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: CENTRAL_EVENT_BUS_NAME });
    if (props.organizationId !== undefined) {
      // CfnEventBusPolicy with a statement: EventBus.addToResourcePolicy sets a deprecated property.
      new CfnEventBusPolicy(this, 'BusPolicy', {
        eventBusName: this.bus.eventBusName,
        statementId: 'OrganizationAccountsPutEvents',
        statement: new PolicyStatement({
          sid: 'OrganizationAccountsPutEvents',
          principals: [new AnyPrincipal()],
          actions: ['events:PutEvents'],
          resources: [this.bus.eventBusArn],
          conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
        }).toStatementJson(),
      });
    }
    this.key = new Key(this, 'TopicKey', {
      description: 'iam-unused-cleanup: encrypts the notification topic and the hub log groups.',
      enableKeyRotation: true,
    });
    // CT.CLOUDWATCH.PR.3 and CT.KMS.PR.3: the hub's log groups are encrypted with the same key.
    shapeKeyForControlTower(this.key);
    this.topic = new Topic(this, 'Topic', {
      topicName: NOTIFICATION_TOPIC_NAME,
      displayName: 'iam-unused-cleanup',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.notificationEmails) this.topic.addSubscription(new EmailSubscription(email));

    this.archive = new LogGroup(this, 'Archive', {
      logGroupName: ARCHIVE_LOG_GROUP_NAME,
      // The digest reads 8 days back; Control Tower's CT.CLOUDWATCH.PR.2 asks for a year, which
      // costs cents at a few KB of events a day.
      retention: RetentionDays.ONE_YEAR,
      encryptionKey: this.key,
    });
    archiveEvents(this, this.bus, this.archive);

    const publish = [
      new PolicyStatement({
        sid: 'PublishToTopic',
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
      }),
      new PolicyStatement({
        sid: 'EncryptForTopic',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.key.keyArn],
      }),
    ];
    this.notify = addInlineFunction(this, 'Notify', {
      functionName: NOTIFY_FUNCTION_NAME,
      description:
        'Publishes each iam-unused-cleanup warning to the topic, owner tags as message attributes.',
      entry: 'warningNotify',
      memorySize: 256,
      timeout: Duration.seconds(30),
      logRetention: props.logRetention,
      roleDescription: 'iam-unused-cleanup: publish warnings to the notification topic.',
      policyName: 'Notify',
      statements: publish,
      logKey: this.key,
      environment: { TOPIC_ARN: this.topic.topicArn },
    }).function;
    new Rule(this, 'NotifyWarnings', {
      eventBus: this.bus,
      description: 'Each warning to the notification topic.',
      eventPattern: { source: [WARNING_EVENT_SOURCE], detailType: [WARNING_DETAIL_TYPE] },
      targets: [new LambdaFunction(this.notify, { retryAttempts: 4 })],
    });

    const digest = addInlineFunction(this, 'Digest', {
      functionName: DIGEST_FUNCTION_NAME,
      description: 'Daily digest of iam-unused-cleanup warnings, remediation runs and revocations due.',
      entry: 'warningDigest',
      logKey: this.key,
      memorySize: 512,
      timeout: Duration.minutes(2),
      logRetention: props.logRetention,
      roleDescription: 'iam-unused-cleanup: read the warning archive, publish the daily digest.',
      policyName: 'Digest',
      statements: [
        ...publish,
        new PolicyStatement({
          sid: 'QueryArchive',
          actions: ['logs:StartQuery'],
          resources: [this.archive.logGroupArn],
        }),
        new PolicyStatement({
          // GetQueryResults takes a query id, not a resource.
          sid: 'ReadQueryResults',
          actions: ['logs:GetQueryResults'],
          resources: ['*'],
        }),
      ],
      environment: { TOPIC_ARN: this.topic.topicArn, ARCHIVE_LOG_GROUP: ARCHIVE_LOG_GROUP_NAME },
    });
    this.digest = digest.function;
    acknowledgeWildcard(
      digest.role,
      '*',
      'logs:GetQueryResults has no resource-level permissions (it takes a query id).',
    );
    new Rule(this, 'DailyDigest', {
      description: 'Daily iam-unused-cleanup digest.',
      schedule: Schedule.cron({ minute: '0', hour: '7' }),
      targets: [new LambdaFunction(this.digest, { retryAttempts: 2 })],
    });
  }
}
