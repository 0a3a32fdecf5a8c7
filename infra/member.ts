import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { CfnPermission, Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EvaluationFrequency } from '../conformance-pack/builder';
import type { AdminPrincipals } from './exclusions-trust';
import { EvaluatorFunction } from './member/evaluator';
import { ExclusionsRole } from './member/exclusions-role';
import { ReevaluateOnChange } from './member/reevaluate-on-change';
import { RemediationRole } from './member/remediation-role';
import { acknowledgeWildcard, nagArnParts } from './member/scope';
import { HeartbeatAlarm } from './safety/heartbeat-alarm';
import { RevocationCheck } from './safety/revocation-check';

export { EVALUATOR_MEMORY_MB, EVALUATOR_TIMEOUT } from './member/evaluator';

export interface MemberResourcesProps {
  /** SSM parameter path of the account's exclusion list. */
  readonly exclusionParameterName: string;
  /** Retention of the evaluator's and the re-evaluation function's log groups. */
  readonly logRetention: RetentionDays;
  /** The roles allowed to assume the exclusions role (setting exclusionsAdminPrincipalArns). */
  readonly exclusionsAdmins: AdminPrincipals;
  /** The rule's frequency: the missing-heartbeat alarm's period. */
  readonly evaluationFrequency: EvaluationFrequency;
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
  /** The revocation check function and the remediation document (the pack's remediation target). */
  readonly revocationCheck: RevocationCheck;
  readonly heartbeatAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MemberResourcesProps) {
    super(scope, id);
    // Creation order is the template's resource order: keep it.
    const evaluator = new EvaluatorFunction(this, {
      exclusionParameterName: props.exclusionParameterName,
      logRetention: props.logRetention,
    });
    this.evaluator = evaluator.function;
    this.configInvokePermission = evaluator.configInvokePermission;
    this.errorsAlarm = evaluator.errorsAlarm;
    this.remediationRole = new RemediationRole(this, 'RemediationRole');
    this.exclusionsRole = new ExclusionsRole(this, 'ExclusionsRole', {
      exclusionParameterName: props.exclusionParameterName,
      admins: props.exclusionsAdmins,
    });
    this.reevaluate = new ReevaluateOnChange(this, {
      exclusionParameterName: props.exclusionParameterName,
      logRetention: props.logRetention,
    }).function;
    this.revocationCheck = new RevocationCheck(this, {
      exclusionParameterName: props.exclusionParameterName,
      logRetention: props.logRetention,
    });
    this.heartbeatAlarm = new HeartbeatAlarm(this, 'Heartbeat', {
      frequency: props.evaluationFrequency,
    }).alarm;

    const { partition, account } = nagArnParts(this);
    acknowledgeWildcard(
      this,
      `arn:${partition}:iam::${account}:user/*`,
      'The rule evaluates, and the runbook revokes, any IAM user of the account: user names are not known at deploy time.',
    );
  }
}
