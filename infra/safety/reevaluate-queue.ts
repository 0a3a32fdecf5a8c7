import { Duration, type Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EventSourceMapping, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  EXCLUSION_CHANGE_RULE_NAME,
  REEVALUATE_DLQ_NAME,
  REEVALUATE_DROPPED_ALARM_NAME,
  REEVALUATE_QUEUE_NAME,
} from '../../conformance-pack/safety-names';
import { REEVALUATE_RETRY } from '../reevaluate-retry';

export interface ReevaluateQueueProps {
  readonly exclusionParameterName: string;
  /** The re-evaluate function (infra/lambda/reevaluate-queue.ts handler). */
  readonly reevaluate: IFunction;
}

/**
 * Exclusion list change → EventBridge rule → SQS queue → re-evaluate function, which hands the
 * message back while Config is busy; SQS retries it every visibility timeout for the whole
 * REEVALUATE_RETRY window, then moves it to the dead-letter queue, whose alarm fires.
 */
export class ReevaluateQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly rule: Rule;
  readonly droppedAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ReevaluateQueueProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      queueName: REEVALUATE_DLQ_NAME,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      queueName: REEVALUATE_QUEUE_NAME,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: REEVALUATE_RETRY.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: REEVALUATE_RETRY.maxReceiveCount },
    });
    // The target adds the queue policy for events.amazonaws.com with aws:SourceArn = this rule.
    this.rule = new Rule(this, 'OnExclusionListChange', {
      ruleName: EXCLUSION_CHANGE_RULE_NAME,
      description: 'Re-evaluate iam-unused-cleanup when the exclusion list parameter changes.',
      eventPattern: {
        source: ['aws.ssm'],
        detailType: ['Parameter Store Change'],
        detail: { name: [props.exclusionParameterName] },
      },
      targets: [new SqsQueue(this.queue)],
    });
    // Not fn.addEventSource: that grants through a separate policy; the role's inline policy
    // holds the polling actions (queueConsumerStatement), so every permission is in one place.
    new EventSourceMapping(this, 'Consumer', {
      target: props.reevaluate,
      eventSourceArn: this.queue.queueArn,
      batchSize: 10,
      reportBatchItemFailures: true,
    });
    this.droppedAlarm = new Alarm(this, 'Dropped', {
      alarmName: REEVALUATE_DROPPED_ALARM_NAME,
      alarmDescription:
        'An exclusion list change could not start a re-evaluation for 30 minutes (Config busy or the re-evaluate ' +
        'function failing): the change takes effect at the next periodic run. See the re-evaluate log group.',
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue; its depth alarm is the end of the line.',
    });
  }

  /** The polling permissions the re-evaluate role needs on the queue. */
  static consumerStatement(stack: Stack): PolicyStatement {
    return new PolicyStatement({
      sid: 'ConsumeChangeQueue',
      actions: [
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:GetQueueAttributes',
      ],
      resources: [`arn:${stack.partition}:sqs:${stack.region}:${stack.account}:${REEVALUATE_QUEUE_NAME}`],
    });
  }
}
