import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { WARNING_STATE_PARAMETER_NAME } from '../../evaluator/warnings/state';
import type { AccountArns } from '../member/scope';

/** What the evaluator needs for revocation warnings (evaluator/warnings/), in its own account only. */
export function warningStatements(arns: AccountArns): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'PutWarningEvents',
      actions: ['events:PutEvents'],
      resources: [arns.arn('events', 'event-bus/default')],
    }),
    new PolicyStatement({
      // Only for users being warned: the owner tags route the warning.
      sid: 'ReadOwnerTags',
      actions: ['iam:ListUserTags'],
      resources: [arns.users],
    }),
    new PolicyStatement({
      sid: 'WarningsLastDelivered',
      actions: ['ssm:GetParameter', 'ssm:PutParameter'],
      resources: [arns.arn('ssm', `parameter${WARNING_STATE_PARAMETER_NAME}`)],
    }),
  ];
}
