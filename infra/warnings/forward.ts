import { Stack } from 'aws-cdk-lib';
import { EventBus, type IRule, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { RUNBOOK } from '../../conformance-pack/names';
import { WARNING_DETAIL_TYPE, WARNING_EVENT_SOURCE } from '../../evaluator/warnings/event';
import {
  AUTOMATION_FINAL_STATUSES,
  AUTOMATION_STATUS_DETAIL_TYPE,
  FORWARD_REMEDIATION_RULE_NAME,
  FORWARD_ROLE_NAME,
  FORWARD_WARNINGS_RULE_NAME,
} from './names';

/**
 * In each account: two rules on the default bus forward our warning events and the final status
 * of our runbook's executions to the central bus, through one role EventBridge assumes for this
 * account's two rules only (confused-deputy conditions) that may put events on that bus only.
 *
 * Not a Construct of its own: its resources are direct children of `scope` (MemberResources).
 */
export class ForwardToCentralBus {
  readonly role: Role;
  readonly rules: readonly IRule[];

  constructor(scope: Construct, centralEventBusArn: string) {
    const stack = Stack.of(scope);
    const ruleArn = (name: string) =>
      `arn:${stack.partition}:events:${stack.region}:${stack.account}:rule/${name}`;
    this.role = new Role(scope, 'ForwardEventsRole', {
      roleName: FORWARD_ROLE_NAME,
      description:
        'EventBridge: forward iam-unused-cleanup warnings and remediation outcomes to the central bus.',
      assumedBy: new ServicePrincipal('events.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: {
            'aws:SourceArn': [FORWARD_WARNINGS_RULE_NAME, FORWARD_REMEDIATION_RULE_NAME].map(ruleArn),
          },
        },
      }),
      inlinePolicies: {
        Forward: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'PutOnCentralBus',
              actions: ['events:PutEvents'],
              resources: [centralEventBusArn],
            }),
          ],
        }),
      },
    });
    const target = new EventBusTarget(
      EventBus.fromEventBusArn(scope, 'CentralEventBus', centralEventBusArn),
      {
        role: this.role,
      },
    );
    this.rules = [
      new Rule(scope, 'ForwardWarnings', {
        ruleName: FORWARD_WARNINGS_RULE_NAME,
        description: 'Forward iam-unused-cleanup revocation warnings to the central bus.',
        eventPattern: { source: [WARNING_EVENT_SOURCE], detailType: [WARNING_DETAIL_TYPE] },
        targets: [target],
      }),
      new Rule(scope, 'ForwardRemediation', {
        ruleName: FORWARD_REMEDIATION_RULE_NAME,
        description: "Forward the final status of the remediation runbook's executions to the central bus.",
        eventPattern: {
          source: ['aws.ssm'],
          detailType: [AUTOMATION_STATUS_DETAIL_TYPE],
          detail: { Definition: [RUNBOOK.documentName], Status: [...AUTOMATION_FINAL_STATUSES] },
        },
        targets: [target],
      }),
    ];
  }
}
