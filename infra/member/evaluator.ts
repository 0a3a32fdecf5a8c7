import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, type Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnPermission, Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { EVALUATOR_ALARM_NAME, EVALUATOR_FUNCTION_NAME } from '../../conformance-pack/names';
import { EVALUATOR_ROLE_NAME } from '../../conformance-pack/safety-names';
import { HEARTBEAT_PARAMETER_NAME } from '../../evaluator/heartbeat';
import { addInlineFunction } from './inline-function';
import { ANY_RULE_REASON, accountArns, acknowledgeWildcard, anyRuleFinding } from './scope';

/**
 * Lambda sizing. The run is I/O bound: a few IAM calls per user (list, login profile, keys,
 * last use) under per-account throttling, so an account with thousands of users needs minutes;
 * 15 minutes is Lambda's ceiling and the evaluator stops cleanly before it (fails closed).
 * 1024 MB buys the CPU share for TLS, JSON and the credential-report CSV at a negligible cost for
 * one run per period.
 */
export const EVALUATOR_MEMORY_MB = 1024;
export const EVALUATOR_TIMEOUT = Duration.minutes(15);

export interface EvaluatorFunctionProps {
  /** SSM parameter path of the account's exclusion list (the evaluator reads it). */
  readonly exclusionParameterName: string;
  /** Retention of the evaluator's log group. */
  readonly logRetention: RetentionDays;
}

/**
 * The Config rule's evaluator: the function (inline code), its role, its log group, Config's
 * permission to invoke it, and an alarm on its errors.
 *
 * Not a Construct of its own: its resources stay direct children of `scope` (MemberResources),
 * so their logical ids and paths, and with them the StackSet's member template, stay unchanged.
 */
export class EvaluatorFunction {
  readonly function: LambdaFn;
  readonly role: Role;
  /** Config's permission to invoke the function; the account pack depends on it. */
  readonly configInvokePermission: CfnPermission;
  /** A run that fails closed evaluates nobody: someone must notice. */
  readonly errorsAlarm: Alarm;

  constructor(scope: Construct, props: EvaluatorFunctionProps) {
    const arns = accountArns(scope);
    const parts = addInlineFunction(scope, 'Evaluator', {
      functionName: EVALUATOR_FUNCTION_NAME,
      description: 'AWS Config rule: IAM users with credentials unused for the max age (iam-unused-cleanup).',
      entry: 'evaluator',
      memorySize: EVALUATOR_MEMORY_MB,
      timeout: EVALUATOR_TIMEOUT,
      logRetention: props.logRetention,
      roleDescription:
        'iam-unused-cleanup evaluator: read IAM users, read the exclusion list, report to Config.',
      policyName: 'Evaluate',
      roleName: EVALUATOR_ROLE_NAME,
      // Runs never overlap: one at a time, and a failed run is not retried on top of the next
      // periodic one (Config's next trigger re-invokes the function).
      reservedConcurrentExecutions: 1,
      retryAttempts: 0,
      statements: [
        new PolicyStatement({
          sid: 'ReadUserCredentials',
          actions: ['iam:GetLoginProfile', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed'],
          resources: [arns.users],
        }),
        new PolicyStatement({
          // No resource-level permissions exist for these account-wide reads.
          sid: 'ListUsersAndCredentialReport',
          actions: ['iam:ListUsers', 'iam:GenerateCredentialReport', 'iam:GetCredentialReport'],
          resources: ['*'],
        }),
        new PolicyStatement({
          sid: 'ReadExclusionList',
          actions: ['ssm:GetParameter'],
          resources: [arns.arn('ssm', `parameter${props.exclusionParameterName}`)],
        }),
        new PolicyStatement({
          // The run's heartbeat (evaluator/heartbeat.ts): read the last one, overwrite it.
          sid: 'WriteHeartbeat',
          actions: ['ssm:GetParameter', 'ssm:PutParameter'],
          resources: [arns.arn('ssm', `parameter${HEARTBEAT_PARAMETER_NAME}`)],
        }),
        new PolicyStatement({
          // PutEvaluations has no resource-level permissions (the result token names the rule).
          sid: 'PutEvaluations',
          actions: ['config:PutEvaluations'],
          resources: ['*'],
        }),
        new PolicyStatement({
          // The member rule's id is chosen by Config at pack deployment: any rule of this account.
          sid: 'ReadEarlierResults',
          actions: ['config:GetComplianceDetailsByConfigRule'],
          resources: [arns.configRules],
        }),
      ],
    });
    this.function = parts.function;
    this.role = parts.role;
    this.function.addPermission('ConfigInvoke', {
      principal: new ServicePrincipal('config.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: Stack.of(scope).account,
      // The pack's rule id is generated when the pack deploys: any rule of this account and region.
      sourceArn: arns.configRules,
    });
    this.configInvokePermission = this.function.node.findChild('ConfigInvoke') as CfnPermission;

    this.errorsAlarm = new Alarm(scope, 'EvaluatorErrors', {
      alarmName: EVALUATOR_ALARM_NAME,
      alarmDescription:
        'The iam-unused-cleanup evaluator failed: no user of this account was evaluated in that run. See its log group.',
      metric: this.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    acknowledgeWildcard(
      this.role,
      '*',
      'iam:ListUsers, iam:GenerateCredentialReport, iam:GetCredentialReport and config:PutEvaluations have no resource-level permissions.',
    );
    acknowledgeWildcard(this.role, anyRuleFinding(scope), ANY_RULE_REASON);
  }
}
