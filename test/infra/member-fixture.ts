import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { beforeAll, expect } from 'vitest';
import { DEFAULT_EXCLUSION_PARAMETER_NAME } from '../../conformance-pack/names';
import { HEARTBEAT_PARAMETER_NAME } from '../../evaluator/heartbeat';
import { type SynthesizedMemberTemplate, synthesizeMemberTemplate } from '../../infra/member-template';
import { TEST_EXCLUSIONS_ADMINS, tempOutdir } from './fixtures';

/** Shared setup for member.test.ts, member-resources.test.ts. */
export const PARTITION = { Ref: 'AWS::Partition' };
export const REGION = { Ref: 'AWS::Region' };
export const ACCOUNT = { Ref: 'AWS::AccountId' };
export const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
export const USERS = join('arn:', PARTITION, ':iam::', ACCOUNT, ':user/*');
export const RULES = join('arn:', PARTITION, ':config:', REGION, ':', ACCOUNT, ':config-rule/*');
export const HEARTBEAT = join(
  'arn:',
  PARTITION,
  ':ssm:',
  REGION,
  ':',
  ACCOUNT,
  `:parameter${HEARTBEAT_PARAMETER_NAME}`,
);
export const PARAMETER = join(
  'arn:',
  PARTITION,
  ':ssm:',
  REGION,
  ':',
  ACCOUNT,
  `:parameter${DEFAULT_EXCLUSION_PARAMETER_NAME}`,
);

export let member: SynthesizedMemberTemplate;
export let template: Template;
// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON, asserted field by field
export type Json = any;
export let resources: Record<string, { Type: string; Properties: Record<string, Json> }>;

export function resource(type: string, logicalIdPrefix: string) {
  const found = Object.entries(resources).filter(
    ([id, r]) => r.Type === type && id.startsWith(logicalIdPrefix),
  );
  expect(found, `${type} ${logicalIdPrefix}`).toHaveLength(1);
  return (found[0] as [string, { Properties: Record<string, Json> }])[1].Properties;
}
/** Statement → [Sid, Action, Resource] (+ Condition when it has one), exact. */
export function statements(roleProps: Record<string, Json>) {
  expect(roleProps.ManagedPolicyArns).toBeUndefined();
  expect(roleProps.Policies).toHaveLength(1);
  return roleProps.Policies[0].PolicyDocument.Statement.map((s: Json) => {
    expect(s.Effect).toBe('Allow');
    const keys = ['Action', 'Effect', 'Resource', 'Sid'];
    expect(Object.keys(s).sort()).toEqual(
      s.Condition === undefined ? keys : ['Action', 'Condition', ...keys.slice(1)],
    );
    return s.Condition === undefined
      ? [s.Sid, s.Action, s.Resource]
      : [s.Sid, s.Action, s.Resource, s.Condition];
  });
}

beforeAll(() => {
  member = synthesizeMemberTemplate(
    {
      exclusionParameterName: DEFAULT_EXCLUSION_PARAMETER_NAME,
      logRetention: RetentionDays.ONE_YEAR,
      exclusionsAdmins: TEST_EXCLUSIONS_ADMINS,
      evaluationFrequency: 'TwentyFour_Hours',
    },
    tempOutdir(),
  );
  template = Template.fromJSON(member.template);
  resources = member.template.Resources as typeof resources;
});
