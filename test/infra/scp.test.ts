import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EVALUATOR_FUNCTION_NAME,
  EXCLUSIONS_ROLE_NAME,
  REEVALUATE_FUNCTION_NAME,
  REMEDIATION_ROLE_NAME,
} from '../../conformance-pack/names';
import {
  CHECK_FUNCTION_NAME,
  EVALUATOR_ROLE_NAME,
  EXCLUSION_CHANGE_RULE_NAME,
  HEARTBEAT_ALARM_NAME,
  REEVALUATE_QUEUE_NAME,
  REMEDIATION_DOCUMENT_NAME,
} from '../../conformance-pack/safety-names';
import { HEARTBEAT_PARAMETER_NAME } from '../../evaluator/heartbeat';
import { DEFAULT_EXCLUSION_PARAMETER_NAME } from '../../evaluator/rule-parameters';
import { REPOSITORY_ROOT } from '../../infra/build-app';

/**
 * The shipped SCP, parsed and evaluated by a small model of SCP Deny statements (Action and
 * Resource wildcards, ArnLike / ArnNotLike conditions): who may still change what.
 */
// biome-ignore lint/suspicious/noExplicitAny: policy JSON
type Json = any;
const policy: Json = JSON.parse(
  readFileSync(path.join(REPOSITORY_ROOT, 'docs', 'scp', 'deny-member-tampering.json'), 'utf8'),
);
const statements: Json[] = policy.Statement;

const glob = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  ).test(value);
const list = (v: string | string[]) => [v].flat();

/** Whether the SCP denies `action` on `resource` to `principalArn` (context keys as given). */
function denied(
  principalArn: string,
  action: string,
  resource: string,
  context: Record<string, string> = {},
): boolean {
  const keys: Record<string, string> = { 'aws:PrincipalArn': principalArn, ...context };
  return statements.some((s) => {
    if (!list(s.Action).some((a) => glob(a, action))) return false;
    if (!list(s.Resource).some((r) => glob(r, resource))) return false;
    return Object.entries(s.Condition ?? {}).every(([operator, tests]) =>
      Object.entries(tests as Record<string, string | string[]>).every(([key, patterns]) => {
        const value = keys[key];
        if (value === undefined) return operator === 'ArnNotLike';
        const any = list(patterns).some((p) => glob(p, value));
        if (operator === 'ArnLike') return any;
        if (operator === 'ArnNotLike') return !any;
        throw new Error(`the model does not know ${operator}`);
      }),
    );
  });
}

const ACCOUNT = '333333333333';
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const ADMIN = role('AWSReservedSSO_AdministratorAccess_0123456789abcdef');
const STACKSET = role('stacksets-exec-0123456789abcdef0123456789abcdef');
const arn = {
  list: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter${DEFAULT_EXCLUSION_PARAMETER_NAME}`,
  heartbeat: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter${HEARTBEAT_PARAMETER_NAME}`,
  fn: (name: string) => `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:${name}`,
  role,
  rule: `arn:aws:events:eu-west-1:${ACCOUNT}:rule/${EXCLUSION_CHANGE_RULE_NAME}`,
  queue: `arn:aws:sqs:eu-west-1:${ACCOUNT}:${REEVALUATE_QUEUE_NAME}`,
  document: `arn:aws:ssm:eu-west-1:${ACCOUNT}:document/${REMEDIATION_DOCUMENT_NAME}`,
  alarm: `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:${HEARTBEAT_ALARM_NAME}`,
};

describe('SCP deny-member-tampering.json', () => {
  it('is a valid SCP document under the 5,120-character limit, deny statements only', () => {
    expect(policy.Version).toBe('2012-10-17');
    expect(JSON.stringify(policy).length).toBeLessThanOrEqual(5120);
    for (const s of statements) {
      expect(s.Effect).toBe('Deny');
      expect(Object.keys(s).sort()).toEqual(['Action', 'Condition', 'Effect', 'Resource', 'Sid']);
      // Every statement exempts the StackSet execution role, or CloudFormation could not update the stack.
      expect(JSON.stringify(s.Condition.ArnNotLike['aws:PrincipalArn'])).toContain('role/stacksets-exec-*');
    }
  });

  it('the exclusion list: only the exclusions role (and the StackSet) may change or delete it', () => {
    for (const action of ['ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:LabelParameterVersion']) {
      expect(denied(ADMIN, action, arn.list), action).toBe(true);
      expect(denied(role(EXCLUSIONS_ROLE_NAME), action, arn.list), action).toBe(false);
      expect(denied(STACKSET, action, arn.list), action).toBe(false);
      expect(denied(role(EVALUATOR_ROLE_NAME), action, arn.list), action).toBe(true);
    }
    expect(denied(ADMIN, 'ssm:GetParameter', arn.list)).toBe(false);
  });

  it('the heartbeat: only the evaluator may write it', () => {
    expect(denied(role(EVALUATOR_ROLE_NAME), 'ssm:PutParameter', arn.heartbeat)).toBe(false);
    expect(denied(ADMIN, 'ssm:PutParameter', arn.heartbeat)).toBe(true);
    expect(denied(role(EXCLUSIONS_ROLE_NAME), 'ssm:PutParameter', arn.heartbeat)).toBe(true);
  });

  it.each([
    ['lambda:UpdateFunctionCode', arn.fn(EVALUATOR_FUNCTION_NAME)],
    ['lambda:PutFunctionConcurrency', arn.fn(EVALUATOR_FUNCTION_NAME)],
    ['lambda:UpdateFunctionConfiguration', arn.fn(CHECK_FUNCTION_NAME)],
    ['lambda:DeleteFunction', arn.fn(REEVALUATE_FUNCTION_NAME)],
    ['lambda:RemovePermission', arn.fn(EVALUATOR_FUNCTION_NAME)],
    ['iam:PutRolePolicy', arn.role(EVALUATOR_ROLE_NAME)],
    ['iam:UpdateAssumeRolePolicy', arn.role(REMEDIATION_ROLE_NAME)],
    ['iam:AttachRolePolicy', arn.role(EXCLUSIONS_ROLE_NAME)],
    ['events:DisableRule', arn.rule],
    ['events:RemoveTargets', arn.rule],
    ['sqs:PurgeQueue', arn.queue],
    ['ssm:UpdateDocumentDefaultVersion', arn.document],
    ['cloudwatch:DisableAlarmActions', arn.alarm],
    ['config:StopConfigurationRecorder', '*'],
  ])('a member admin may not %s on %s; the StackSet may', (action, resource) => {
    expect(denied(ADMIN, action, resource)).toBe(true);
    expect(denied(STACKSET, action, resource)).toBe(false);
  });

  it('event source mappings of our functions only, by their function', () => {
    const mapping = `arn:aws:lambda:eu-west-1:${ACCOUNT}:event-source-mapping:0123`;
    expect(
      denied(ADMIN, 'lambda:DeleteEventSourceMapping', mapping, {
        'lambda:FunctionArn': arn.fn(REEVALUATE_FUNCTION_NAME),
      }),
    ).toBe(true);
    expect(
      denied(ADMIN, 'lambda:DeleteEventSourceMapping', mapping, { 'lambda:FunctionArn': arn.fn('team-a') }),
    ).toBe(false);
  });

  it("leaves the account's other resources alone", () => {
    expect(denied(ADMIN, 'lambda:UpdateFunctionCode', arn.fn('team-a-api'))).toBe(false);
    expect(denied(ADMIN, 'iam:PutRolePolicy', arn.role('team-a'))).toBe(false);
    expect(
      denied(ADMIN, 'ssm:PutParameter', `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/team-a/config`),
    ).toBe(false);
  });
});
