import { Stack } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { REMEDIATION_ROLE_NAME, RUNBOOK } from '../../conformance-pack/names';
import { REMEDIATION_DOCUMENT_NAME } from '../../conformance-pack/safety-names';
import { remediationDocumentStatements } from '../safety/revocation-check';
import { accountArns, acknowledgeWildcard, nagArnParts } from './scope';

/**
 * The role SSM Automation assumes to run the pinned runbook (the pack's remediation): exactly
 * the calls the runbook makes, in this account only. Fixed name: the organization pack refers to
 * it by name in every account. It has no props: everything it needs comes from its stack.
 */
export class RemediationRole extends Role {
  constructor(scope: Construct, id: string) {
    const stack = Stack.of(scope);
    const arns = accountArns(scope);
    super(scope, id, {
      roleName: REMEDIATION_ROLE_NAME,
      description: `Assumed by ${REMEDIATION_DOCUMENT_NAME}: re-check the user, then run ${RUNBOOK.documentName} v${RUNBOOK.version}.`,
      assumedBy: new ServicePrincipal('ssm.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': `arn:${stack.partition}:ssm:*:${stack.account}:automation-execution/*`,
          },
        },
      }),
      inlinePolicies: {
        Runbook: new PolicyDocument({
          statements: [
            new PolicyStatement({
              // Exactly what the runbook calls; it deactivates keys and never deletes them.
              sid: 'RevokeUnusedCredentials',
              actions: [
                'iam:GetUser',
                'iam:GetLoginProfile',
                'iam:DeleteLoginProfile',
                'iam:ListAccessKeys',
                'iam:GetAccessKeyLastUsed',
                'iam:UpdateAccessKey',
              ],
              resources: [arns.users],
            }),
            new PolicyStatement({
              // Maps IAMResourceId to the user name; no resource-level permissions exist.
              sid: 'FindUserByResourceId',
              actions: ['config:ListDiscoveredResources'],
              resources: ['*'],
            }),
            new PolicyStatement({
              // Listed by the runbook's documentation; only the pinned runbook, any version.
              sid: 'RunAutomation',
              actions: ['ssm:StartAutomationExecution'],
              resources: [runbookDefinitionArn(stack)],
            }),
            new PolicyStatement({
              sid: 'ReadAutomation',
              actions: ['ssm:GetAutomationExecution'],
              resources: [arns.arn('ssm', 'automation-execution/*')],
            }),
            // Our document (infra/remediation-document.ts): the check, then the runbook as a child
            // automation that runs as this same role.
            ...remediationDocumentStatements(stack),
          ],
        }),
      },
    });
    this.acknowledgeFindings();
  }

  private acknowledgeFindings(): void {
    const { partition, region, account } = nagArnParts(this);
    acknowledgeWildcard(
      this,
      '*',
      'config:ListDiscoveredResources (the runbook maps IAMResourceId to a user name) has no resource-level permissions.',
    );
    acknowledgeWildcard(
      this,
      `arn:${partition}:ssm:${region}:*:automation-definition/${RUNBOOK.documentName}:*`,
      'Only the pinned AWS-owned runbook: its ARN carries no account of ours, and the version part is chosen by SSM.',
    );
    acknowledgeWildcard(
      this,
      `arn:${partition}:ssm:${region}:${account}:automation-execution/*`,
      'Execution ids are generated per run; only executions of this account and region match.',
    );
  }
}

/** StartAutomationExecution's resource: the pinned AWS-owned runbook (no account in its ARN), any version. */
function runbookDefinitionArn(stack: Stack): string {
  return `arn:${stack.partition}:ssm:${stack.region}:*:automation-definition/${RUNBOOK.documentName}:*`;
}
