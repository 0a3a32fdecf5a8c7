import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { REEVALUATE_FUNCTION_NAME } from '../../conformance-pack/names';
import { addInlineFunction } from './inline-function';
import { ANY_RULE_REASON, accountArns, acknowledgeWildcard, anyRuleFinding } from './scope';

export interface ReevaluateOnChangeProps {
  /** SSM parameter path of the account's exclusion list: a change to it starts the rule. */
  readonly exclusionParameterName: string;
  /** Retention of the function's log group. */
  readonly logRetention: RetentionDays;
}

/**
 * Re-evaluation on every change of the exclusion list: an EventBridge rule on the parameter's
 * change events and the function (with its role and log group) that starts our Config rule.
 *
 * Not a Construct of its own: its resources stay direct children of `scope` (MemberResources),
 * so their logical ids and paths, and with them the StackSet's member template, stay unchanged.
 */
export class ReevaluateOnChange {
  readonly function: LambdaFn;
  readonly role: Role;
  readonly rule: Rule;

  constructor(scope: Construct, props: ReevaluateOnChangeProps) {
    const arns = accountArns(scope);
    const parts = addInlineFunction(scope, 'Reevaluate', {
      functionName: REEVALUATE_FUNCTION_NAME,
      description: 'Starts the iam-unused-cleanup rule when its exclusion list changes.',
      entry: 'reevaluate',
      memorySize: 256,
      timeout: Duration.minutes(1),
      logRetention: props.logRetention,
      roleDescription: 'iam-unused-cleanup: start the rule evaluation after an exclusion list change.',
      policyName: 'Reevaluate',
      statements: [
        new PolicyStatement({
          sid: 'FindRule',
          actions: ['config:DescribeConfigRules'],
          resources: ['*'],
        }),
        new PolicyStatement({
          sid: 'StartEvaluation',
          actions: ['config:StartConfigRulesEvaluation'],
          resources: [arns.configRules],
        }),
      ],
    });
    this.function = parts.function;
    this.role = parts.role;
    this.rule = new Rule(scope, 'OnExclusionListChange', {
      description: 'Re-evaluate iam-unused-cleanup when the exclusion list parameter changes.',
      eventPattern: {
        source: ['aws.ssm'],
        detailType: ['Parameter Store Change'],
        detail: { name: [props.exclusionParameterName] },
      },
      // EventBridge retries delivery; the function's own failures (Config busy) are retried by
      // Lambda's asynchronous invocation defaults (2 retries, about 1 and 3 minutes later).
      targets: [new LambdaFunction(this.function, { retryAttempts: 2 })],
    });

    acknowledgeWildcard(
      this.role,
      '*',
      'config:DescribeConfigRules lists the rules to find our suffixed rule name; it takes no ARN.',
    );
    acknowledgeWildcard(this.role, anyRuleFinding(scope), ANY_RULE_REASON);
  }
}
