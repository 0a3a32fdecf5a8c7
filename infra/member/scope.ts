import { Stack, Token, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** ARNs inside the account and region of the stack that holds `scope`. */
export interface AccountArns {
  /** `arn:<partition>:<service>:<region>:<account>:<resource>`. */
  arn(service: string, resource: string): string;
  /** Every IAM user of the account (user names are not known at deploy time). */
  readonly users: string;
  /** Every Config rule of the account and region (Config suffixes the pack's rule name). */
  readonly configRules: string;
}

export function accountArns(scope: Construct): AccountArns {
  const stack = Stack.of(scope);
  const arn = (service: string, resource: string) =>
    `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
  return {
    arn,
    users: `arn:${stack.partition}:iam::${stack.account}:user/*`,
    configRules: arn('config', 'config-rule/*'),
  };
}

/**
 * The same ARN parts as cdk-nag renders them in a finding's name: pseudo parameters, or the
 * literal values when the stack has a concrete environment (account stack).
 */
export function nagArnParts(scope: Construct): { partition: string; region: string; account: string } {
  const stack = Stack.of(scope);
  const rendered = (value: string, pseudo: string) =>
    Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;
  return {
    partition: rendered(stack.partition, 'Partition'),
    region: rendered(stack.region, 'Region'),
    account: rendered(stack.account, 'AccountId'),
  };
}

/** Accepts one cdk-nag wildcard finding (AwsSolutions-IAM5) on `scope`, with the reason. */
export function acknowledgeWildcard(scope: Construct, finding: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${finding}]`, reason });
}

/** Any Config rule of the account and region, as cdk-nag names that finding. */
export function anyRuleFinding(scope: Construct): string {
  const { partition, region, account } = nagArnParts(scope);
  return `arn:${partition}:config:${region}:${account}:config-rule/*`;
}

export const ANY_RULE_REASON =
  "Config names the pack's rule with a random suffix and id when the pack deploys (after this template); " +
  'only rules of this account and region match.';
