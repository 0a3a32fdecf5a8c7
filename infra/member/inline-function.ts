import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFn, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { bundleLambda, type LambdaEntry } from '../bundle';

export interface InlineFunctionProps {
  /** Fixed function name: the CLI and the pack find it by name in every account. */
  readonly functionName: string;
  readonly description: string;
  /** The bundled entry point (inline code, no asset bucket in member accounts). */
  readonly entry: LambdaEntry;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: RetentionDays;
  readonly roleDescription: string;
  /** Name of the role's one inline policy. */
  readonly policyName: string;
  /** What the function may do besides writing its own logs. */
  readonly statements: readonly PolicyStatement[];
  /** Fixed role name (the SCP in docs/scp names our roles). @default a generated name */
  readonly roleName?: string;
  /** @default no reservation */
  readonly reservedConcurrentExecutions?: number;
  /** Retries of a failed asynchronous invocation. @default Lambda's default (2) */
  readonly retryAttempts?: number;
}

export interface InlineFunctionParts {
  readonly function: LambdaFn;
  readonly role: Role;
  readonly logGroup: LogGroup;
}

/**
 * A Node.js function with inline code, its own log group (fixed name) and its own role, added to
 * `scope` as `<id>Logs`, `<id>Role` and `<id>`: the ids the member template has always used, so
 * the logical ids do not change.
 */
export function addInlineFunction(
  scope: Construct,
  id: string,
  props: InlineFunctionProps,
): InlineFunctionParts {
  const logGroup = new LogGroup(scope, `${id}Logs`, {
    logGroupName: `/aws/lambda/${props.functionName}`,
    retention: props.logRetention,
    // The name is fixed: a retained group would make the next deployment into this account fail.
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new Role(scope, `${id}Role`, {
    ...(props.roleName === undefined ? {} : { roleName: props.roleName }),
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: props.roleDescription,
    inlinePolicies: {
      [props.policyName]: new PolicyDocument({
        statements: [
          ...props.statements,
          new PolicyStatement({
            sid: 'WriteOwnLogs',
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [logGroup.logGroupArn],
          }),
        ],
      }),
    },
  });
  const fn = new LambdaFn(scope, id, {
    functionName: props.functionName,
    description: props.description,
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    handler: 'index.handler',
    code: Code.fromInline(bundleLambda(props.entry)),
    ...(props.reservedConcurrentExecutions === undefined
      ? {}
      : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
    ...(props.retryAttempts === undefined ? {} : { retryAttempts: props.retryAttempts }),
    memorySize: props.memorySize,
    timeout: props.timeout,
    role,
    logGroup,
  });
  return { function: fn, role, logGroup };
}
