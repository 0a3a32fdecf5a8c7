import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  buildPackTemplate,
  ORG_PACK_ARTIFACT,
  PACK_LOGICAL_IDS,
  PACK_PARAMETERS,
  PACK_TEMPLATE_BODY_LIMIT_BYTES,
  type PackOptions,
  type PackTemplate,
  packTemplateToYaml,
} from '../../conformance-pack/builder';
import {
  CONFIG_RULE_NAME,
  EVALUATOR_FUNCTION_NAME,
  REMEDIATION_ROLE_NAME,
  RULE_PARAMETER_KEYS,
} from '../../conformance-pack/names';
import { REMEDIATION_DOCUMENT_NAME } from '../../conformance-pack/safety-names';
import { type OrganizationModeSettings, organizationPackTemplate } from '../../infra/admin-stack';
import { REPOSITORY_ROOT } from '../../infra/build-app';
import { parseSettings } from '../../infra/parse-settings';
import { cdkJsonContext } from '../infra/fixtures';

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON, asserted field by field
type Json = any;

const base: Omit<PackOptions, 'target'> = {
  maxAgeDays: 45,
  exclusionParameterName: '/team/excluded',
  frequency: 'Twelve_Hours',
  remediation: { mode: 'automatic', maximumAttempts: 3, retryAttemptSeconds: 120 },
};
const orgPack = buildPackTemplate({
  ...base,
  target: { kind: 'organization', partition: 'aws', deployingAccountId: '222222222222' },
});
const accountPack = buildPackTemplate({
  ...base,
  target: {
    kind: 'account',
    functionArn: 'arn:aws:lambda:eu-west-1:333333333333:function:x',
    remediationRoleArn: 'arn:aws:iam::333333333333:role/y',
  },
});

function props(template: PackTemplate, id: string): Record<string, Json> {
  const resource = template.Resources[id];
  if (resource === undefined) throw new Error(`no resource ${id}`);
  return resource.Properties;
}

/** The only places where the organization and account packs may differ. */
const TARGET_PATHS: readonly ((t: PackTemplate) => { get(): unknown; set(v: unknown): void })[] = [
  (t) => {
    const source = props(t, PACK_LOGICAL_IDS.rule).Source;
    return { get: () => source.SourceIdentifier, set: (v) => (source.SourceIdentifier = v) };
  },
  (t) => {
    const values = props(t, PACK_LOGICAL_IDS.remediation).Parameters.AutomationAssumeRole.StaticValue.Values;
    return { get: () => values[0], set: (v) => (values[0] = v) };
  },
];

describe('conformance pack builder', () => {
  it('contains only a Config rule and a remediation configuration', () => {
    const types = Object.values(orgPack.Resources).map((r) => r.Type);
    expect(types.sort()).toEqual(['AWS::Config::ConfigRule', 'AWS::Config::RemediationConfiguration']);
  });

  it('stays under the TemplateBody limit even with the longest parameter path', () => {
    const longPath = `/${'a'.repeat(1010)}`;
    const yaml = packTemplateToYaml(
      buildPackTemplate({
        ...base,
        exclusionParameterName: longPath,
        target: { kind: 'organization', partition: 'aws-us-gov', deployingAccountId: '222222222222' },
      }),
    );
    expect(Buffer.byteLength(yaml, 'utf8')).toBeLessThan(PACK_TEMPLATE_BODY_LIMIT_BYTES);
    expect(Buffer.byteLength(packTemplateToYaml(orgPack), 'utf8')).toBeLessThan(
      PACK_TEMPLATE_BODY_LIMIT_BYTES,
    );
  });

  it("uses the evaluator's own rule parameter keys, each fed by a pack parameter", () => {
    const input = props(orgPack, PACK_LOGICAL_IDS.rule).InputParameters;
    expect(Object.keys(input).sort()).toEqual(Object.values(RULE_PARAMETER_KEYS).sort());
    expect(input[RULE_PARAMETER_KEYS.maxAgeDays]).toEqual({ Ref: PACK_PARAMETERS.maxAgeDays });
    expect(input[RULE_PARAMETER_KEYS.exclusionParameterName]).toEqual({
      Ref: PACK_PARAMETERS.exclusionParameterName,
    });
    expect(orgPack.Parameters[PACK_PARAMETERS.maxAgeDays]?.Default).toBe('45');
    expect(orgPack.Parameters[PACK_PARAMETERS.exclusionParameterName]?.Default).toBe('/team/excluded');
    expect(orgPack.Parameters[PACK_PARAMETERS.frequency]?.Default).toBe('Twelve_Hours');
  });

  it('gives the remediation the same max age parameter as the rule', () => {
    const rule = props(orgPack, PACK_LOGICAL_IDS.rule);
    const remediation = props(orgPack, PACK_LOGICAL_IDS.remediation);
    expect(remediation.Parameters.MaxCredentialUsageAge).toEqual({
      StaticValue: { Values: [rule.InputParameters[RULE_PARAMETER_KEYS.maxAgeDays]] },
    });
  });

  it('is a periodic custom Lambda rule on IAM users, pointing at the fixed function name', () => {
    const rule = props(orgPack, PACK_LOGICAL_IDS.rule);
    expect(rule.ConfigRuleName).toBe(CONFIG_RULE_NAME);
    expect(rule.Scope).toEqual({ ComplianceResourceTypes: ['AWS::IAM::User'] });
    expect(rule.Source).toEqual({
      Owner: 'CUSTOM_LAMBDA',
      SourceIdentifier: {
        'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${EVALUATOR_FUNCTION_NAME}`,
      },
      SourceDetails: [
        {
          EventSource: 'aws.config',
          MessageType: 'ScheduledNotification',
          MaximumExecutionFrequency: { Ref: PACK_PARAMETERS.frequency },
        },
      ],
    });
  });

  it('runs our re-checking document (then the pinned runbook) on the resource id with the settings for retries and mode', () => {
    expect(orgPack.Resources[PACK_LOGICAL_IDS.remediation]?.DependsOn).toBe(PACK_LOGICAL_IDS.rule);
    expect(props(orgPack, PACK_LOGICAL_IDS.remediation)).toEqual({
      ConfigRuleName: { Ref: PACK_LOGICAL_IDS.rule },
      TargetType: 'SSM_DOCUMENT',
      TargetId: REMEDIATION_DOCUMENT_NAME,
      Parameters: {
        AutomationAssumeRole: {
          StaticValue: { Values: [`arn:aws:iam::222222222222:role/${REMEDIATION_ROLE_NAME}`] },
        },
        IAMResourceId: { ResourceValue: { Value: 'RESOURCE_ID' } },
        MaxCredentialUsageAge: { StaticValue: { Values: [{ Ref: PACK_PARAMETERS.maxAgeDays }] } },
        ExclusionParameterName: {
          StaticValue: { Values: [{ Ref: PACK_PARAMETERS.exclusionParameterName }] },
        },
      },
      Automatic: true,
      MaximumAutomaticAttempts: 3,
      RetryAttemptSeconds: 120,
    });
    const manual = buildPackTemplate({
      ...base,
      remediation: { ...base.remediation, mode: 'manual' },
      target: { kind: 'organization', partition: 'aws', deployingAccountId: '222222222222' },
    });
    expect(props(manual, PACK_LOGICAL_IDS.remediation).Automatic).toBe(false);
  });

  it('builds the account pack identical to the organization pack but for the named target paths', () => {
    const org = structuredClone(orgPack);
    const account = structuredClone(accountPack);
    for (const at of TARGET_PATHS) {
      expect(at(account).get()).not.toEqual(at(org).get());
      at(org).set('<target>');
      at(account).set('<target>');
    }
    expect(account).toEqual(org);
    expect(TARGET_PATHS.map((at) => at(structuredClone(accountPack)).get())).toEqual([
      'arn:aws:lambda:eu-west-1:333333333333:function:x',
      'arn:aws:iam::333333333333:role/y',
    ]);
  });

  it('emits YAML that parses back to the same template', () => {
    expect(parse(packTemplateToYaml(orgPack))).toEqual(orgPack);
  });

  it('keeps CDK tokens on one line so CloudFormation can substitute them', () => {
    const token = `\${Token[TOKEN.${'9'.repeat(200)}]}`;
    const yaml = packTemplateToYaml(
      buildPackTemplate({
        ...base,
        target: { kind: 'account', functionArn: token, remediationRoleArn: token },
      }),
    );
    expect(yaml.split(token).length - 1).toBe(2);
  });

  it('the tracked artifact matches the pack that cdk.json synthesizes (run `npm run synth` if stale)', () => {
    const settings = parseSettings({ ...cdkJsonContext(), mode: 'organization' }) as OrganizationModeSettings;
    const tracked = readFileSync(path.join(REPOSITORY_ROOT, ORG_PACK_ARTIFACT), 'utf8');
    expect(tracked).toBe(packTemplateToYaml(organizationPackTemplate(settings)));
  });
});
