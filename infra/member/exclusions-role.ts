import { Stack } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { EXCLUSIONS_ROLE_NAME } from '../../conformance-pack/names';
import { HEARTBEAT_PARAMETER_NAME } from '../../evaluator/heartbeat';
import { type AdminPrincipals, ExclusionsAdminPrincipal } from '../exclusions-trust';
import { accountArns, acknowledgeWildcard } from './scope';

export interface ExclusionsRoleProps {
  /** SSM parameter path of the account's exclusion list (the role reads and writes it). */
  readonly exclusionParameterName: string;
  /** The roles allowed to assume it (setting exclusionsAdminPrincipalArns, validated). */
  readonly admins: AdminPrincipals;
}

/**
 * The role the operator CLI assumes: manage the account's exclusion list and read the rule's
 * and the remediation's status. Fixed name: the CLI finds it by name in every account.
 */
export class ExclusionsRole extends Role {
  constructor(scope: Construct, id: string, props: ExclusionsRoleProps) {
    super(scope, id, {
      roleName: EXCLUSIONS_ROLE_NAME,
      description:
        'Assumed by the iam-unused CLI: manage the exclusion list, read rule and remediation status.',
      // Only the configured roles, each session carrying its caller's SourceIdentity.
      assumedBy: new ExclusionsAdminPrincipal(props.admins, Stack.of(scope).partition),
      inlinePolicies: {
        Exclusions: new PolicyDocument({
          statements: [
            new PolicyStatement({
              // `exclusions list|add|remove|sync|history|restore`: PutParameter both creates (Overwrite=false) and
              // overwrites, in either tier; the CLI sends no Tags, so no AddTagsToResource. A write
              // starts the re-evaluation through EventBridge, so the CLI never starts the rule.
              sid: 'ReadWriteExclusionList',
              actions: ['ssm:GetParameter', 'ssm:GetParameterHistory', 'ssm:PutParameter'],
              resources: [accountArns(scope).arn('ssm', `parameter${props.exclusionParameterName}`)],
            }),
            new PolicyStatement({
              // `status`: the evaluator's heartbeat (evaluator/heartbeat.ts), read-only.
              sid: 'ReadHeartbeat',
              actions: ['ssm:GetParameter'],
              resources: [accountArns(scope).arn('ssm', `parameter${HEARTBEAT_PARAMETER_NAME}`)],
            }),
            new PolicyStatement({
              // `status`: find the suffixed rule name, its last evaluation and its remediation
              // executions (scripts/commands/status/). Read-only.
              sid: 'ReadRuleStatus',
              actions: [
                'config:DescribeConfigRules',
                'config:DescribeConfigRuleEvaluationStatus',
                'config:DescribeRemediationExecutionStatus',
              ],
              resources: ['*'],
            }),
          ],
        }),
      },
    });
    acknowledgeWildcard(
      this,
      '*',
      'Read-only Config Describe calls that `iam-unused status` needs: DescribeConfigRules must list every rule to find the suffixed name, and the ids of our rule and remediation are chosen by Config after this template deploys; the role works only inside this account.',
    );
  }
}
