import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { CfnPermission, Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EvaluationFrequency } from '../conformance-pack/builder';
import { Alerting } from './alerting';
import type { AdminPrincipals } from './exclusions-trust';
import { EvaluatorFunction } from './member/evaluator';
import { ExclusionsRole } from './member/exclusions-role';
import { ReevaluateOnChange } from './member/reevaluate-on-change';
import { RemediationRole } from './member/remediation-role';
import { acknowledgeWildcard, nagArnParts } from './member/scope';
import { HeartbeatAlarm } from './safety/heartbeat-alarm';
import { RevocationCheck } from './safety/revocation-check';
import { ForwardToCentralBus } from './warnings/forward';

export { EVALUATOR_MEMORY_MB, EVALUATOR_TIMEOUT } from './member/evaluator';

/** Every member account's alarm topic (the delegated admin's own is ADMIN_ALARM_TOPIC_NAME). */
export const MEMBER_ALARM_TOPIC_NAME = 'iam-unused-cleanup-member-alarms';

export interface MemberResourcesProps {
  /** SSM parameter path of the account's exclusion list. */
  readonly exclusionParameterName: string;
  /** Retention of the evaluator's and the re-evaluation function's log groups. */
  readonly logRetention: RetentionDays;
  /** The roles allowed to assume the exclusions role (setting exclusionsAdminPrincipalArns). */
  readonly exclusionsAdmins: AdminPrincipals;
  /** The rule's frequency: the missing-heartbeat alarm's period. */
  readonly evaluationFrequency: EvaluationFrequency;
  /**
   * Subscribed to the account's alarm topic (one confirmation e-mail per account).
   * @default none
   */
  readonly alarmEmails?: readonly string[];
  /**
   * The central event bus that receives the warnings and remediation outcomes (docs/warnings.md).
   * @default none: warnings stay on each account's default bus
   */
  readonly centralEventBusArn?: string;
}

/**
 * Everything one account needs: the evaluator (inline code), its permission for Config, the
 * remediation role, the revocation check and the remediation document it runs before the runbook,
 * the exclusions role for the CLI, a re-evaluation (through a retrying queue) on every change of
 * the exclusion list, and alarms on evaluator errors and on a missing heartbeat. Used by the StackSet's member
 * template and by the account stack alike.
 */
export class MemberResources extends Construct {
  readonly evaluator: LambdaFn;
  readonly configInvokePermission: CfnPermission;
  readonly remediationRole: Role;
  readonly exclusionsRole: Role;
  readonly reevaluate: LambdaFn;
  readonly errorsAlarm: Alarm;
  readonly alerting: Alerting;
  /** The revocation check function and the remediation document (the pack's remediation target). */
  readonly revocationCheck: RevocationCheck;
  readonly heartbeatAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MemberResourcesProps) {
    super(scope, id);
    // Creation order is the template's resource order: keep it (the key comes first, it
    // encrypts the log groups created next).
    this.alerting = new Alerting(this, 'Alerting', {
      topicName: MEMBER_ALARM_TOPIC_NAME,
      description: 'iam-unused-cleanup: encrypts the log groups and the alarm topic of this account.',
      emails: props.alarmEmails ?? [],
    });
    const evaluator = new EvaluatorFunction(this, {
      exclusionParameterName: props.exclusionParameterName,
      logRetention: props.logRetention,
      logKey: this.alerting.key,
    });
    this.evaluator = evaluator.function;
    this.configInvokePermission = evaluator.configInvokePermission;
    this.errorsAlarm = evaluator.errorsAlarm;
    this.alerting.notify(this.errorsAlarm);
    this.remediationRole = new RemediationRole(this, 'RemediationRole');
    this.exclusionsRole = new ExclusionsRole(this, 'ExclusionsRole', {
      exclusionParameterName: props.exclusionParameterName,
      admins: props.exclusionsAdmins,
    });
    const reevaluate = new ReevaluateOnChange(this, {
      exclusionParameterName: props.exclusionParameterName,
      logRetention: props.logRetention,
      logKey: this.alerting.key,
    });
    this.reevaluate = reevaluate.function;
    this.alerting.notify(reevaluate.changes.droppedAlarm);
    this.revocationCheck = new RevocationCheck(this, {
      exclusionParameterName: props.exclusionParameterName,
      logRetention: props.logRetention,
      logKey: this.alerting.key,
    });
    this.heartbeatAlarm = new HeartbeatAlarm(this, 'Heartbeat', {
      frequency: props.evaluationFrequency,
    }).alarm;
    this.alerting.notify(this.heartbeatAlarm);

    if (props.centralEventBusArn !== undefined) new ForwardToCentralBus(this, props.centralEventBusArn);

    const { partition, account } = nagArnParts(this);
    acknowledgeWildcard(
      this,
      `arn:${partition}:iam::${account}:user/*`,
      'The rule evaluates, and the runbook revokes, any IAM user of the account: user names are not known at deploy time.',
    );
  }
}
