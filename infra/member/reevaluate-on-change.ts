import { Duration, Stack } from 'aws-cdk-lib';
import type { Rule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { REEVALUATE_FUNCTION_NAME } from '../../conformance-pack/names';
import { REEVALUATE_ROLE_NAME } from '../../conformance-pack/safety-names';
import { ReevaluateQueue } from '../safety/reevaluate-queue';
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
 * change events, a queue that retries while Config is busy (infra/safety/reevaluate-queue.ts), and
 * the function (with its role and log group) that starts our Config rule.
 *
 * Not a Construct of its own: its resources stay direct children of `scope` (MemberResources),
 * so their logical ids and paths, and with them the StackSet's member template, stay unchanged.
 */
export class ReevaluateOnChange {
  readonly function: LambdaFn;
  readonly role: Role;
  readonly rule: Rule;
  readonly changes: ReevaluateQueue;

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
      roleName: REEVALUATE_ROLE_NAME,
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
        // Lambda polls the change queue with the function's role.
        ReevaluateQueue.consumerStatement(Stack.of(scope)),
      ],
    });
    this.function = parts.function;
    this.role = parts.role;
    // Changes go through a queue so a busy Config is retried for longer than a whole run.
    this.changes = new ReevaluateQueue(scope, 'ChangeQueue', {
      exclusionParameterName: props.exclusionParameterName,
      reevaluate: this.function,
    });
    this.rule = this.changes.rule;

    acknowledgeWildcard(
      this.role,
      '*',
      'config:DescribeConfigRules lists the rules to find our suffixed rule name; it takes no ARN.',
    );
    acknowledgeWildcard(this.role, anyRuleFinding(scope), ANY_RULE_REASON);
  }
}
