import { Stack } from 'aws-cdk-lib';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { PolicyDocument, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnResourcePolicy, type LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { WARNING_DETAIL_TYPE, WARNING_EVENT_SOURCE } from '../../evaluator/warnings/event';
import { ARCHIVE_RULE_NAME, AUTOMATION_STATUS_DETAIL_TYPE, CENTRAL_EVENT_BUS_NAME } from './names';

/**
 * A rule that writes every forwarded event into the archive log group, and the log group's
 * resource policy letting only that rule do it. Hand-built rather than aws-events-targets'
 * CloudWatchLogGroup, whose policy is a custom resource (one more Lambda with a managed policy).
 */
export function archiveEvents(scope: Construct, bus: IEventBus, archive: LogGroup): Rule {
  const rule = new Rule(scope, 'ArchiveEvents', {
    ruleName: ARCHIVE_RULE_NAME,
    eventBus: bus,
    description: 'Archive every forwarded warning and remediation outcome for the daily digest.',
    eventPattern: {
      source: [WARNING_EVENT_SOURCE, 'aws.ssm'],
      detailType: [WARNING_DETAIL_TYPE, AUTOMATION_STATUS_DETAIL_TYPE],
    },
  });
  const stack = Stack.of(scope);
  const logGroupArn = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: archive.logGroupName,
    arnFormat: 1 as never, // COLON_RESOURCE_NAME
  });
  rule.addTarget({ bind: () => ({ arn: logGroupArn }) });
  const policy = new CfnResourcePolicy(scope, 'ArchivePolicy', {
    policyName: 'iam-unused-cleanup-warning-archive',
    policyDocument: stack.toJsonString(
      new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'ArchiveRuleWrites',
            principals: [
              new ServicePrincipal('events.amazonaws.com'),
              new ServicePrincipal('delivery.logs.amazonaws.com'),
            ],
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [`${logGroupArn}:*`],
            // By name: the rule's own ARN attribute would make the rule and the policy depend on each other.
            conditions: {
              ArnEquals: {
                'aws:SourceArn': stack.formatArn({
                  service: 'events',
                  resource: 'rule',
                  resourceName: `${CENTRAL_EVENT_BUS_NAME}/${ARCHIVE_RULE_NAME}`,
                }),
              },
            },
          }),
        ],
      }).toJSON(),
    ),
  });
  rule.node.addDependency(policy);
  return rule;
}
