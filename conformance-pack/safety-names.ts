/**
 * Names added for issue 10 (exclusions always win). Fixed, because the remediation document,
 * the SCP (docs/scp/deny-member-tampering.json) and the CLI must find them in every account.
 */

/** Prefix of every resource this tool names in a member account (the SCP matches on it). */
export const RESOURCE_PREFIX = 'iam-unused-cleanup';

/** Our Automation document: re-check, then run the AWS runbook. The remediation's TargetId. */
export const REMEDIATION_DOCUMENT_NAME = `${RESOURCE_PREFIX}-revoke-if-still-unused`;
/** The evaluator's revocation-check mode, deployed as its own function from the same bundle. */
export const CHECK_FUNCTION_NAME = `${RESOURCE_PREFIX}-check`;

export const EVALUATOR_ROLE_NAME = `${RESOURCE_PREFIX}-evaluator`;
export const CHECK_ROLE_NAME = `${RESOURCE_PREFIX}-check`;
export const REEVALUATE_ROLE_NAME = `${RESOURCE_PREFIX}-reevaluate`;

/** EventBridge rule: exclusion parameter changed → re-evaluation queue. */
export const EXCLUSION_CHANGE_RULE_NAME = `${RESOURCE_PREFIX}-exclusion-change`;
export const REEVALUATE_QUEUE_NAME = `${RESOURCE_PREFIX}-reevaluate`;
export const REEVALUATE_DLQ_NAME = `${RESOURCE_PREFIX}-reevaluate-dropped`;

export const HEARTBEAT_ALARM_NAME = `${RESOURCE_PREFIX}-heartbeat-missing`;
export const REEVALUATE_DROPPED_ALARM_NAME = `${RESOURCE_PREFIX}-reevaluate-dropped`;
