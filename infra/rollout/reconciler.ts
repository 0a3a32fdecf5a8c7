import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CustomResource, Duration, RemovalPolicy, Stack, Stage, Token, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFn, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Alerting } from '../alerting';
import { bundleLambda } from '../bundle';
import { STACK_INSTANCE_DETAIL_TYPE } from '../lambda/reconciler/events';
import { RECONCILE_PERIOD_MINUTES } from '../lambda/reconciler/reconcile';
import { acknowledgeNoVpc } from '../member/inline-function';
import { ORGANIZATION_SERVICE_PRINCIPALS } from '../service-principals';
import {
  ACCOUNTS_FAILING_ALARM_NAME,
  PAUSE_PARAMETER_NAME,
  RECONCILER_ALARM_NAME,
  RECONCILER_FUNCTION_NAME,
  ROLLOUT_METRICS,
  ROLLOUT_PARAMETER_PATH,
} from './contract';
import { packPutFor, type ReconcilerSpec } from './spec';

export interface RolloutReconcilerProps {
  readonly spec: ReconcilerSpec;
  /** The organization aggregator's ARN (the reconciler reads IAM user counts from it). */
  readonly aggregatorArn: string;
  readonly alerting: Alerting;
  readonly logRetention: RetentionDays;
}

/**
 * The organization pack, put by code instead of CloudFormation: a Lambda in the delegated-admin
 * account that puts it at deploy time (custom resource), every hour, on StackSet instance events
 * and on a change of the pause parameter, and re-puts it where members failed. Partial failure
 * never fails a deployment or rolls back the StackSet (docs/rollout.md).
 */
export class RolloutReconciler extends Construct {
  readonly function: LambdaFn;
  readonly deployment: CustomResource;
  readonly uncoveredAlarm: Alarm;
  readonly errorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: RolloutReconcilerProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { spec } = props;
    const arn = (service: string, resource: string) =>
      `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;

    const logs = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${RECONCILER_FUNCTION_NAME}`,
      retention: props.logRetention,
      encryptionKey: props.alerting.key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description:
        'iam-unused-cleanup reconciler: put the organization pack, read its status, keep rollout state.',
      inlinePolicies: {
        Reconcile: new PolicyDocument({
          statements: statements(arn, stack.partition, props, logs.logGroupArn),
        }),
      },
    });
    this.function = new LambdaFn(this, 'Function', {
      functionName: RECONCILER_FUNCTION_NAME,
      description:
        'Puts the iam-unused-cleanup organization conformance pack and re-puts it where it failed.',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromAsset(writeCode(Stage.of(this)?.outdir ?? '.', spec)),
      memorySize: 512,
      timeout: Duration.minutes(10),
      // One run at a time: two runs would race on the per-account records.
      reservedConcurrentExecutions: 1,
      role,
      logGroup: logs,
    });
    acknowledgeNoVpc(this.function);

    const target = new LambdaFunction(this.function, { retryAttempts: 2 });
    new Rule(this, 'Hourly', {
      description: 'Reconcile the iam-unused-cleanup organization pack every hour.',
      schedule: Schedule.rate(Duration.minutes(RECONCILE_PERIOD_MINUTES)),
      targets: [target],
    });
    new Rule(this, 'OnStackInstance', {
      description: 'Reconcile as soon as an iam-unused-cleanup StackSet instance becomes CURRENT.',
      eventPattern: {
        source: ['aws.cloudformation'],
        detailType: [STACK_INSTANCE_DETAIL_TYPE],
        detail: {
          'stack-set-arn': [{ prefix: arn('cloudformation', `stackset/${spec.stackSetName}:`) }],
          'status-details': { status: ['CURRENT'] },
        },
      },
      targets: [target],
    });
    new Rule(this, 'OnPause', {
      description: 'Reconcile when `iam-unused pause` or `resume` writes the pause parameter.',
      eventPattern: {
        source: ['aws.ssm'],
        detailType: ['Parameter Store Change'],
        detail: { name: [PAUSE_PARAMETER_NAME] },
      },
      targets: [target],
    });

    // A new hash (settings changed) updates the resource, which puts the new pack at deploy time.
    this.deployment = new CustomResource(this, 'PackDeployment', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::OrganizationConformancePack',
      properties: { SpecHash: packPutFor(spec, false).specHash },
    });
    this.deployment.node.addDependency(role, logs);

    this.uncoveredAlarm = new Alarm(this, 'AccountsUncovered', {
      alarmName: ACCOUNTS_FAILING_ALARM_NAME,
      alarmDescription: `An account in scope has had no working iam-unused rule for ${spec.alarmAfterHours} h. Run \`iam-unused status\` for the account, the AWS error and the fix.`,
      metric: new Metric({
        namespace: ROLLOUT_METRICS.namespace,
        metricName: ROLLOUT_METRICS.failingTooLong,
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.errorsAlarm = new Alarm(this, 'Errors', {
      alarmName: RECONCILER_ALARM_NAME,
      alarmDescription: `The reconciler failed: nothing was reconciled in that run. See /aws/lambda/${RECONCILER_FUNCTION_NAME}.`,
      metric: this.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    props.alerting.notify(this.uncoveredAlarm);
    props.alerting.notify(this.errorsAlarm);
    acknowledge(role, stack, spec.stackSetName);
  }
}

/** index.js (the bundle) and spec.json side by side: the asset, and so the code, changes with the spec. */
function writeCode(outdir: string, spec: ReconcilerSpec): string {
  const dir = path.join(outdir, 'reconciler-code');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.js'), bundleLambda('reconciler'));
  writeFileSync(path.join(dir, 'spec.json'), `${JSON.stringify(spec, null, 2)}\n`);
  return dir;
}

function statements(
  arn: (service: string, resource: string) => string,
  partition: string,
  props: RolloutReconcilerProps,
  logGroupArn: string,
): PolicyStatement[] {
  const { spec } = props;
  return [
    new PolicyStatement({
      // Organization conformance pack actions take no resource ARN (its ARN ends in a random suffix).
      sid: 'OrganizationPack',
      actions: [
        'config:PutOrganizationConformancePack',
        'config:DeleteOrganizationConformancePack',
        'config:GetOrganizationConformancePackDetailedStatus',
      ],
      resources: ['*'],
    }),
    new PolicyStatement({
      // What Config checks for a delegated administrator putting an organization pack (read-only).
      sid: 'DelegatedAdministratorChecks',
      actions: [
        'organizations:DescribeOrganization',
        'organizations:ListAWSServiceAccessForOrganization',
        'organizations:ListDelegatedAdministrators',
      ],
      resources: ['*'],
    }),
    new PolicyStatement({
      sid: 'ConfigServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [
        `arn:${partition}:iam::*:role/aws-service-role/${ORGANIZATION_SERVICE_PRINCIPALS.conformancePacks}/*`,
      ],
      conditions: {
        StringEquals: { 'iam:AWSServiceName': ORGANIZATION_SERVICE_PRINCIPALS.conformancePacks },
      },
    }),
    new PolicyStatement({
      sid: 'ReadStackSetInstances',
      actions: ['cloudformation:DescribeStackInstance', 'cloudformation:ListStackInstances'],
      resources: [arn('cloudformation', `stackset/${spec.stackSetName}:*`)],
    }),
    new PolicyStatement({
      sid: 'ReadRecordedIamUsers',
      actions: ['config:GetAggregateDiscoveredResourceCounts'],
      resources: [props.aggregatorArn],
    }),
    new PolicyStatement({
      sid: 'ReadRolloutState',
      actions: ['ssm:GetParametersByPath'],
      resources: [arn('ssm', `parameter${ROLLOUT_PARAMETER_PATH}`)],
    }),
    new PolicyStatement({
      sid: 'WriteRolloutState',
      actions: ['ssm:PutParameter', 'ssm:DeleteParameters', 'ssm:DeleteParameter'],
      resources: [arn('ssm', `parameter${ROLLOUT_PARAMETER_PATH}/*`)],
    }),
    new PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroupArn],
    }),
  ];
}

function acknowledge(role: Role, stack: Stack, stackSetName: string): void {
  // cdk-nag names a finding by its rendered ARN: the pseudo parameter where the value is a token.
  const rendered = (value: string, pseudo: string) =>
    Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;
  const partition = rendered(stack.partition, 'Partition');
  const where = `${rendered(stack.region, 'Region')}:${rendered(stack.account, 'AccountId')}`;
  const ack = (finding: string, reason: string) =>
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${finding}]`, reason });
  ack(
    '*',
    'Organization conformance pack actions and the read-only Organizations checks Config makes for a delegated administrator take no resource ARN.',
  );
  ack(
    `arn:${partition}:iam::*:role/aws-service-role/${ORGANIZATION_SERVICE_PRINCIPALS.conformancePacks}/*`,
    "Only Config's own service-linked role for organization packs, and only for that service (iam:AWSServiceName).",
  );
  ack(
    `arn:${partition}:cloudformation:${where}:stackset/${stackSetName}:*`,
    'Our StackSet only; the part after the colon is the id CloudFormation gives it at creation.',
  );
  ack(
    `arn:${partition}:ssm:${where}:parameter${ROLLOUT_PARAMETER_PATH}/*`,
    "The reconciler's own records under its path: one parameter per uncovered account, named by account id.",
  );
}
