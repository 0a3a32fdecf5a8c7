import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import {
  AccountPrincipal,
  ArnPrincipal,
  CompositePrincipal,
  type IPrincipal,
  PolicyDocument,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  type CfnPermission,
  Code,
  Function as LambdaFn,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  EVALUATOR_ALARM_NAME,
  EVALUATOR_FUNCTION_NAME,
  EXCLUSIONS_ROLE_NAME,
  REEVALUATE_FUNCTION_NAME,
  REMEDIATION_ROLE_NAME,
  RUNBOOK,
} from '../conformance-pack/names';
import { bundleLambda } from './bundle';

export interface MemberResourcesProps {
  /** SSM parameter path of the account's exclusion list. */
  readonly exclusionParameterName: string;
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
 * Lambda sizing. The run is I/O bound: a few IAM calls per user (list, login profile, keys,
 * last use) under per-account throttling, so an account with thousands of users needs minutes;
 * 15 minutes is Lambda's ceiling and the evaluator stops cleanly before it (fails closed).
 * 1024 MB buys the CPU share for TLS, JSON and the credential-report CSV at a negligible cost for
 * one run per period.
 */
export const EVALUATOR_MEMORY_MB = 1024;
export const EVALUATOR_TIMEOUT = Duration.minutes(15);

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
    const stack = Stack.of(this);
    const arn = (service: string, resource: string, region = stack.region) =>
      `arn:${stack.partition}:${service}:${region}:${stack.account}:${resource}`;
    const parameterArn = arn('ssm', `parameter${props.exclusionParameterName}`);
    const userArns = `arn:${stack.partition}:iam::${stack.account}:user/*`;
    const configRuleArns = arn('config', 'config-rule/*');
    const runbookArn = runbookDefinitionArn(stack);

    // --- Evaluator ---------------------------------------------------------------------------
    const evaluatorLogs = new LogGroup(this, 'EvaluatorLogs', {
      logGroupName: `/aws/lambda/${EVALUATOR_FUNCTION_NAME}`,
      retention: props.logRetention,
      // The name is fixed: a retained group would make the next deployment into this account fail.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const evaluatorRole = new Role(this, 'EvaluatorRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'iam-unused-cleanup evaluator: read IAM users, read the exclusion list, report to Config.',
      inlinePolicies: {
        Evaluate: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'ReadUserCredentials',
              actions: ['iam:GetLoginProfile', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed'],
              resources: [userArns],
            }),
            new PolicyStatement({
              // No resource-level permissions exist for these account-wide reads.
              sid: 'ListUsersAndCredentialReport',
              actions: ['iam:ListUsers', 'iam:GenerateCredentialReport', 'iam:GetCredentialReport'],
              resources: ['*'],
            }),
            new PolicyStatement({
              sid: 'ReadExclusionList',
              actions: ['ssm:GetParameter'],
              resources: [parameterArn],
            }),
            new PolicyStatement({
              // PutEvaluations has no resource-level permissions (the result token names the rule).
              sid: 'PutEvaluations',
              actions: ['config:PutEvaluations'],
              resources: ['*'],
            }),
            new PolicyStatement({
              // The member rule's id is chosen by Config at pack deployment: any rule of this account.
              sid: 'ReadEarlierResults',
              actions: ['config:GetComplianceDetailsByConfigRule'],
              resources: [configRuleArns],
            }),
            new PolicyStatement({
              sid: 'WriteOwnLogs',
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [evaluatorLogs.logGroupArn],
            }),
          ],
        }),
      },
    });
    this.evaluator = new LambdaFn(this, 'Evaluator', {
      functionName: EVALUATOR_FUNCTION_NAME,
      description: 'AWS Config rule: IAM users with credentials unused for the max age (iam-unused-cleanup).',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromInline(bundleLambda('evaluator')),
      memorySize: EVALUATOR_MEMORY_MB,
      timeout: EVALUATOR_TIMEOUT,
      role: evaluatorRole,
      logGroup: evaluatorLogs,
    });
    this.evaluator.addPermission('ConfigInvoke', {
      principal: new ServicePrincipal('config.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: stack.account,
    });
    this.configInvokePermission = this.evaluator.node.findChild('ConfigInvoke') as CfnPermission;

    // A run that fails closed evaluates nobody: someone must notice.
    this.errorsAlarm = new Alarm(this, 'EvaluatorErrors', {
      alarmName: EVALUATOR_ALARM_NAME,
      alarmDescription:
        'The iam-unused-cleanup evaluator failed: no user of this account was evaluated in that run. See its log group.',
      metric: this.evaluator.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    // --- Remediation role (assumed by SSM Automation for the runbook) -------------------------
    this.remediationRole = new Role(this, 'RemediationRole', {
      roleName: REMEDIATION_ROLE_NAME,
      description: `Assumed by ${RUNBOOK.documentName} v${RUNBOOK.version} to revoke unused credentials.`,
      assumedBy: new ServicePrincipal('ssm.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
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
              resources: [userArns],
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
              resources: [runbookArn],
            }),
            new PolicyStatement({
              sid: 'ReadAutomation',
              actions: ['ssm:GetAutomationExecution'],
              resources: [arn('ssm', 'automation-execution/*')],
            }),
          ],
        }),
      },
    });

    // --- Exclusions role (assumed by the operator CLI) ----------------------------------------
    const principals: IPrincipal[] = [new AccountPrincipal(props.exclusionsTrustedAccountId)];
    if (props.exclusionsExtraPrincipal !== undefined) {
      principals.push(
        /^\d{12}$/.test(props.exclusionsExtraPrincipal)
          ? new AccountPrincipal(props.exclusionsExtraPrincipal)
          : new ArnPrincipal(props.exclusionsExtraPrincipal),
      );
    }
    this.exclusionsRole = new Role(this, 'ExclusionsRole', {
      roleName: EXCLUSIONS_ROLE_NAME,
      description:
        'Assumed by the iam-unused CLI: manage the exclusion list, read rule and remediation status.',
      assumedBy: new CompositePrincipal(...principals),
      inlinePolicies: {
        Exclusions: new PolicyDocument({
          statements: [
            new PolicyStatement({
              // `exclusions list|add|remove|sync`: PutParameter both creates (Overwrite=false) and
              // overwrites, in either tier; the CLI sends no Tags, so no AddTagsToResource. A write
              // starts the re-evaluation through EventBridge, so the CLI never starts the rule.
              sid: 'ReadWriteExclusionList',
              actions: ['ssm:GetParameter', 'ssm:PutParameter'],
              resources: [parameterArn],
            }),
            new PolicyStatement({
              // `status`: find the suffixed rule name, its last evaluation and its remediation
              // executions (scripts/commands/status.ts). Read-only.
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

    // --- Re-evaluate when the exclusion list changes -------------------------------------------
    const reevaluateLogs = new LogGroup(this, 'ReevaluateLogs', {
      logGroupName: `/aws/lambda/${REEVALUATE_FUNCTION_NAME}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const reevaluateRole = new Role(this, 'ReevaluateRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'iam-unused-cleanup: start the rule evaluation after an exclusion list change.',
      inlinePolicies: {
        Reevaluate: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'FindRule',
              actions: ['config:DescribeConfigRules'],
              resources: ['*'],
            }),
            new PolicyStatement({
              sid: 'StartEvaluation',
              actions: ['config:StartConfigRulesEvaluation'],
              resources: [configRuleArns],
            }),
            new PolicyStatement({
              sid: 'WriteOwnLogs',
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [reevaluateLogs.logGroupArn],
            }),
          ],
        }),
      },
    });
    this.reevaluate = new LambdaFn(this, 'Reevaluate', {
      functionName: REEVALUATE_FUNCTION_NAME,
      description: 'Starts the iam-unused-cleanup rule when its exclusion list changes.',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromInline(bundleLambda('reevaluate')),
      memorySize: 256,
      timeout: Duration.minutes(1),
      role: reevaluateRole,
      logGroup: reevaluateLogs,
    });
    new Rule(this, 'OnExclusionListChange', {
      description: 'Re-evaluate iam-unused-cleanup when the exclusion list parameter changes.',
      eventPattern: {
        source: ['aws.ssm'],
        detailType: ['Parameter Store Change'],
        detail: { name: [props.exclusionParameterName] },
      },
      // EventBridge retries delivery; the function's own failures (Config busy) are retried by
      // Lambda's asynchronous invocation defaults (2 retries, about 1 and 3 minutes later).
      targets: [new LambdaFunction(this.reevaluate, { retryAttempts: 2 })],
    });

    acknowledgeFindings(this, { evaluator: evaluatorRole, reevaluate: reevaluateRole });
  }
}

/** Each cdk-nag finding this construct accepts, on the narrowest scope, with the reason. */
function acknowledgeFindings(member: MemberResources, roles: Record<'evaluator' | 'reevaluate', Role>): void {
  const ack = (scope: Construct, finding: string, reason: string) =>
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${finding}]`, reason });
  // cdk-nag names a finding by its rendered ARN: pseudo parameters, or the literal values when
  // the stack has a concrete environment (account stack).
  const stack = Stack.of(member);
  const rendered = (value: string, pseudo: string) =>
    Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;
  const partition = rendered(stack.partition, 'Partition');
  const region = rendered(stack.region, 'Region');
  const account = rendered(stack.account, 'AccountId');
  const anyRule = `arn:${partition}:config:${region}:${account}:config-rule/*`;
  const ruleReason =
    "Config names the pack's rule with a random suffix and id when the pack deploys (after this template); " +
    'only rules of this account and region match.';
  ack(
    member,
    `arn:${partition}:iam::${account}:user/*`,
    'The rule evaluates, and the runbook revokes, any IAM user of the account: user names are not known at deploy time.',
  );
  ack(
    roles.evaluator,
    '*',
    'iam:ListUsers, iam:GenerateCredentialReport, iam:GetCredentialReport and config:PutEvaluations have no resource-level permissions.',
  );
  ack(roles.evaluator, anyRule, ruleReason);
  ack(
    member.remediationRole,
    '*',
    'config:ListDiscoveredResources (the runbook maps IAMResourceId to a user name) has no resource-level permissions.',
  );
  ack(
    member.remediationRole,
    `arn:${partition}:ssm:${region}:*:automation-definition/${RUNBOOK.documentName}:*`,
    'Only the pinned AWS-owned runbook: its ARN carries no account of ours, and the version part is chosen by SSM.',
  );
  ack(
    member.remediationRole,
    `arn:${partition}:ssm:${region}:${account}:automation-execution/*`,
    'Execution ids are generated per run; only executions of this account and region match.',
  );
  ack(
    member.exclusionsRole,
    '*',
    'Read-only Config Describe calls that `iam-unused status` needs: DescribeConfigRules must list every rule to find the suffixed name, and the ids of our rule and remediation are chosen by Config after this template deploys; the role works only inside this account.',
  );
  ack(
    roles.reevaluate,
    '*',
    'config:DescribeConfigRules lists the rules to find our suffixed rule name; it takes no ARN.',
  );
  ack(roles.reevaluate, anyRule, ruleReason);
}

/** StartAutomationExecution's resource: the pinned AWS-owned runbook (no account in its ARN), any version. */
function runbookDefinitionArn(stack: Stack): string {
  return `arn:${stack.partition}:ssm:${stack.region}:*:automation-definition/${RUNBOOK.documentName}:*`;
}
