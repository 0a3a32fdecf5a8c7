import { Duration, type Stack } from 'aws-cdk-lib';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnDocument } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { REMEDIATION_ROLE_NAME } from '../../conformance-pack/names';
import {
  CHECK_FUNCTION_NAME,
  CHECK_ROLE_NAME,
  REMEDIATION_DOCUMENT_NAME,
} from '../../conformance-pack/safety-names';
import { addInlineFunction } from '../member/inline-function';
import { accountArns, acknowledgeWildcard } from '../member/scope';
import { remediationDocumentContent } from '../remediation-document';

export interface RevocationCheckProps {
  readonly exclusionParameterName: string;
  readonly logRetention: RetentionDays;
}

/**
 * The revocation check and the Automation document that runs it before the AWS runbook. The check
 * is the evaluator's code (its decide(), exclusion parser and live reads, bundled from evaluator/check/index.ts) in a function of its own: the
 * evaluator has reserved concurrency 1 so runs never overlap, and remediations start while a run
 * is still putting evaluations, so a check sharing that one slot would be throttled and fail.
 *
 * Not a Construct of its own, like the other member parts: its resources are children of `scope`.
 */
export class RevocationCheck {
  readonly function: LambdaFn;
  readonly role: Role;
  readonly document: CfnDocument;

  constructor(scope: Construct, props: RevocationCheckProps) {
    const arns = accountArns(scope);
    const parts = addInlineFunction(scope, 'Check', {
      functionName: CHECK_FUNCTION_NAME,
      description: 'iam-unused-cleanup: re-checks one user, live, right before the runbook would revoke it.',
      entry: 'check',
      memorySize: 256,
      timeout: Duration.minutes(1),
      logRetention: props.logRetention,
      roleName: CHECK_ROLE_NAME,
      roleDescription:
        'iam-unused-cleanup revocation check: read one user, its credentials and the exclusion list.',
      policyName: 'Check',
      statements: [
        new PolicyStatement({
          sid: 'ReadOneUser',
          actions: ['iam:GetUser', 'iam:GetLoginProfile', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed'],
          resources: [arns.users],
        }),
        new PolicyStatement({
          // The same id → name mapping the runbook uses; no resource-level permissions exist.
          sid: 'FindUserByResourceId',
          actions: ['config:ListDiscoveredResources'],
          resources: ['*'],
        }),
        new PolicyStatement({
          sid: 'ReadExclusionList',
          actions: ['ssm:GetParameter'],
          resources: [arns.arn('ssm', `parameter${props.exclusionParameterName}`)],
        }),
      ],
    });
    this.function = parts.function;
    this.role = parts.role;
    this.document = new CfnDocument(scope, 'RemediationDocument', {
      name: REMEDIATION_DOCUMENT_NAME,
      documentType: 'Automation',
      documentFormat: 'JSON',
      // A content change adds a version (and makes it the default) instead of replacing the
      // document under its fixed name, which CloudFormation could not do in place.
      updateMethod: 'NewVersion',
      content: remediationDocumentContent(this.function.functionArn),
    });
    acknowledgeWildcard(
      this.role,
      '*',
      'config:ListDiscoveredResources (the check maps the resource id to a user name, as the runbook does) has no resource-level permissions.',
    );
  }
}

/**
 * What the remediation role needs for our document, on top of the runbook's own permissions:
 * invoke the check, and pass itself to SSM as the child runbook's AutomationAssumeRole. Both ARNs
 * are built from fixed names: a reference to the role inside its own policy would be a circular
 * dependency, and the role need not wait for the function.
 */
export function remediationDocumentStatements(stack: Stack): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'InvokeRevocationCheck',
      actions: ['lambda:InvokeFunction'],
      resources: [
        `arn:${stack.partition}:lambda:${stack.region}:${stack.account}:function:${CHECK_FUNCTION_NAME}`,
      ],
    }),
    new PolicyStatement({
      sid: 'PassSelfToRunbook',
      actions: ['iam:PassRole'],
      resources: [`arn:${stack.partition}:iam::${stack.account}:role/${REMEDIATION_ROLE_NAME}`],
      conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
    }),
  ];
}
