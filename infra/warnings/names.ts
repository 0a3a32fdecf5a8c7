/** Fixed names of the warnings' routing, shared by the member template and the central stack. */
export const CENTRAL_EVENT_BUS_NAME = 'iam-unused-cleanup';
export const FORWARD_WARNINGS_RULE_NAME = 'iam-unused-cleanup-forward-warnings';
export const FORWARD_REMEDIATION_RULE_NAME = 'iam-unused-cleanup-forward-remediation';
export const FORWARD_ROLE_NAME = 'iam-unused-cleanup-forward-events';
export const NOTIFY_FUNCTION_NAME = 'iam-unused-cleanup-warning-notify';
export const DIGEST_FUNCTION_NAME = 'iam-unused-cleanup-warning-digest';
export const ARCHIVE_RULE_NAME = 'iam-unused-cleanup-archive-events';
export const ARCHIVE_LOG_GROUP_NAME = '/iam-unused-cleanup/warning-archive';
export const NOTIFICATION_TOPIC_NAME = 'iam-unused-cleanup-notifications';

/**
 * SSM Automation's status events; the remediation's runbook is the only Definition forwarded.
 * docs/aws-behaviour.md, "SSM Automation status events" (Definition for AWS-owned runbooks: likely).
 */
export const AUTOMATION_STATUS_DETAIL_TYPE = 'EC2 Automation Execution Status-change Notification';
/** Final statuses only: one event per execution outcome, not every step. */
export const AUTOMATION_FINAL_STATUSES = ['Success', 'Failed', 'TimedOut', 'Cancelled'] as const;

/** The central bus of a deployment: in the delegated-admin account, or the account itself. */
export function centralEventBusArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:events:${region}:${account}:event-bus/${CENTRAL_EVENT_BUS_NAME}`;
}
