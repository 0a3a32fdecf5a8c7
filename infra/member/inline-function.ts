import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Code, Function as LambdaFn, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { bundleLambda, type LambdaEntry } from '../bundle';

/** Sizing of the small helper functions (re-evaluate, revocation check): a few API calls each. */
export const SMALL_FUNCTION_SIZE = { memorySize: 256, timeout: Duration.minutes(1) } as const;

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
  /** Encrypts the log group (Control Tower CT.CLOUDWATCH.PR.3). */
  readonly logKey: IKey;
  /** @default none */
  readonly environment?: Readonly<Record<string, string>>;
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
    encryptionKey: props.logKey,
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
    ...(props.environment ? { environment: { ...props.environment } } : {}),
  });
  acknowledgeNoVpc(fn);
  return { function: fn, role, logGroup };
}

/**
 * Control Tower CT.LAMBDA.PR.3 (function in a customer VPC) cannot apply: our functions only call
 * AWS APIs, and a VPC would need NAT or endpoints in every account for no protection.
 */
export function acknowledgeNoVpc(fn: LambdaFn): void {
  Validations.of(fn).acknowledge({
    id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
    reason:
      'CT.LAMBDA.PR.3 cannot apply: the function only calls AWS APIs; a VPC would add NAT gateways or endpoints to every account and no protection.',
  });
}
