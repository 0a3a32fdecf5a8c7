import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { CfnPermission, Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { EvaluatorFunction } from './member/evaluator';
import { ExclusionsRole } from './member/exclusions-role';
import { ReevaluateOnChange } from './member/reevaluate-on-change';
import { RemediationRole } from './member/remediation-role';
import { acknowledgeWildcard, nagArnParts } from './member/scope';

export { EVALUATOR_MEMORY_MB, EVALUATOR_TIMEOUT } from './member/evaluator';

export interface MemberResourcesProps {
  /** SSM parameter path of the account's exclusion list. */
  readonly exclusionParameterName: string;
  /** Retention of the evaluator's and the re-evaluation function's log groups. */
  readonly logRetention: RetentionDays;
  /**
   * Account allowed to assume the exclusions role: the delegated administrator (organization), or
   * the account itself (single account).
   */
  readonly exclusionsTrustedAccountId: string;
  /**
   * Also allowed to assume the exclusions role: an account id or IAM principal ARN.
   * @default none
   */
  readonly exclusionsExtraPrincipal?: string;
}

/**
 * Everything one account needs: the evaluator (inline code), its permission for Config, the
 * remediation role the runbook assumes, the exclusions role for the CLI, a re-evaluation on every
 * change of the exclusion list, and an alarm on evaluator errors. Used by the StackSet's member
 * template and by the account stack alike.
 */
export class MemberResources extends Construct {
  readonly evaluator: LambdaFn;
  readonly configInvokePermission: CfnPermission;
  readonly remediationRole: Role;
  readonly exclusionsRole: Role;
  readonly reevaluate: LambdaFn;
  readonly errorsAlarm: Alarm;

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
      trustedAccountId: props.exclusionsTrustedAccountId,
      ...(props.exclusionsExtraPrincipal !== undefined
        ? { extraPrincipal: props.exclusionsExtraPrincipal }
        : {}),
    });
    this.reevaluate = new ReevaluateOnChange(this, {
      exclusionParameterName: props.exclusionParameterName,
      logRetention: props.logRetention,
    }).function;

    const { partition, account } = nagArnParts(this);
    acknowledgeWildcard(
      this,
      `arn:${partition}:iam::${account}:user/*`,
      'The rule evaluates, and the runbook revokes, any IAM user of the account: user names are not known at deploy time.',
    );
  }
}
