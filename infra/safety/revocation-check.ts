import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFn, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnDocument } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { REMEDIATION_ROLE_NAME } from '../../conformance-pack/names';
import {
  CHECK_FUNCTION_NAME,
  CHECK_ROLE_NAME,
  REMEDIATION_DOCUMENT_NAME,
} from '../../conformance-pack/safety-names';
import { bundleLambda } from '../bundle';
import { remediationDocumentContent } from '../remediation-document';

export interface RevocationCheckProps {
  readonly exclusionParameterName: string;
  readonly logRetention: RetentionDays;
}

/**
 * The revocation check and the Automation document that runs it before the AWS runbook. The check
 * is the evaluator's code (same bundle, export `checkHandler`) in a function of its own: the
 * evaluator has reserved concurrency 1 so runs never overlap, and remediations start while a run
 * is still putting evaluations, so a check sharing that one slot would be throttled and fail.
 */
export class RevocationCheck extends Construct {
  readonly function: LambdaFn;
  readonly role: Role;
  readonly document: CfnDocument;

  constructor(scope: Construct, id: string, props: RevocationCheckProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const logs = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${CHECK_FUNCTION_NAME}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      roleName: CHECK_ROLE_NAME,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description:
        'iam-unused-cleanup revocation check: read one user, its credentials and the exclusion list.',
      inlinePolicies: {
        Check: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'ReadOneUser',
              actions: [
                'iam:GetUser',
                'iam:GetLoginProfile',
                'iam:ListAccessKeys',
                'iam:GetAccessKeyLastUsed',
              ],
              resources: [`arn:${stack.partition}:iam::${stack.account}:user/*`],
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
              resources: [
                `arn:${stack.partition}:ssm:${stack.region}:${stack.account}:parameter${props.exclusionParameterName}`,
              ],
            }),
            new PolicyStatement({
              sid: 'WriteOwnLogs',
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [logs.logGroupArn],
            }),
          ],
        }),
      },
    });
    this.function = new LambdaFn(this, 'Function', {
      functionName: CHECK_FUNCTION_NAME,
      description: 'iam-unused-cleanup: re-checks one user, live, right before the runbook would revoke it.',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      handler: 'index.checkHandler',
      code: Code.fromInline(bundleLambda('evaluator')),
      memorySize: 256,
      timeout: Duration.minutes(1),
      role: this.role,
      logGroup: logs,
    });
    this.document = new CfnDocument(this, 'Document', {
      name: REMEDIATION_DOCUMENT_NAME,
      documentType: 'Automation',
      documentFormat: 'JSON',
      // A content change adds a version (and makes it the default) instead of replacing the
      // document under its fixed name, which CloudFormation could not do in place.
      updateMethod: 'NewVersion',
      content: remediationDocumentContent(this.function.functionArn),
    });
  }
}

/**
 * What the remediation role needs for our document, on top of the runbook's own permissions:
 * invoke the check, start the AWS runbook as a child automation (and read it), and pass itself
 * to SSM as the child's AutomationAssumeRole. Its own ARN is built from the fixed name: a
 * reference to the role inside its own policy would be a circular dependency.
 */
export function remediationDocumentStatements(stack: Stack, checkFunctionArn: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'InvokeRevocationCheck',
      actions: ['lambda:InvokeFunction'],
      resources: [checkFunctionArn],
    }),
    new PolicyStatement({
      sid: 'PassSelfToRunbook',
      actions: ['iam:PassRole'],
      resources: [`arn:${stack.partition}:iam::${stack.account}:role/${REMEDIATION_ROLE_NAME}`],
      conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
    }),
  ];
}
