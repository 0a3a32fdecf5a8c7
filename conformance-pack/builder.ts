import { stringify } from 'yaml';
import {
  CONFIG_RULE_NAME,
  EVALUATOR_FUNCTION_NAME,
  ORG_CONFORMANCE_PACK_NAME,
  REMEDIATION_ROLE_NAME,
  RULE_PARAMETER_KEYS,
  RUNBOOK,
} from './names';
import { REMEDIATION_DOCUMENT_NAME } from './safety-names';

/** AWS Config's periodic frequencies (MaximumExecutionFrequency). */
export const EVALUATION_FREQUENCIES = [
  'One_Hour',
  'Three_Hours',
  'Six_Hours',
  'Twelve_Hours',
  'TwentyFour_Hours',
] as const;
export type EvaluationFrequency = (typeof EVALUATION_FREQUENCIES)[number];

export type RemediationMode = 'automatic' | 'manual';

/** Template parameter names. Max age and parameter name reuse the evaluator's own keys. */
export const PACK_PARAMETERS = {
  maxAgeDays: RULE_PARAMETER_KEYS.maxAgeDays,
  exclusionParameterName: RULE_PARAMETER_KEYS.exclusionParameterName,
  frequency: 'MaximumExecutionFrequency',
} as const;

/** Logical ids inside the pack template. */
export const PACK_LOGICAL_IDS = {
  rule: 'IamUnusedCredentialsRule',
  remediation: 'IamUnusedCredentialsRemediation',
} as const;

/** Config's limit for TemplateBody (bytes). */
export const PACK_TEMPLATE_BODY_LIMIT_BYTES = 51_200;

/**
 * Where the pack is deployed. This is THE place where the organization pack and the account pack
 * differ; everything else the builder emits is identical for both (test/conformance-pack proves it).
 */
export type PackTarget =
  | {
      readonly kind: 'organization';
      /** Partition of the home region ("aws", "aws-cn", "aws-us-gov"). */
      readonly partition: string;
      /** The account that creates the organization pack (the delegated administrator). */
      readonly deployingAccountId: string;
    }
  | {
      readonly kind: 'account';
      /** The evaluator's ARN, known at synth time (may be a CDK token). */
      readonly functionArn: string;
      /** The remediation role's ARN, known at synth time (may be a CDK token). */
      readonly remediationRoleArn: string;
    };

/** Every value that differs between the organization pack and the account pack. */
export interface TargetReferences {
  /** The rule's Source.SourceIdentifier. */
  readonly sourceIdentifier: unknown;
  /** The remediation's AutomationAssumeRole static value. */
  readonly automationAssumeRole: string;
}

export function targetReferences(target: PackTarget): TargetReferences {
  if (target.kind === 'account') {
    return { sourceIdentifier: target.functionArn, automationAssumeRole: target.remediationRoleArn };
  }
  // UNVERIFIED (docs/aws-behaviour.md, "Unverified choices"); `iam-unused status`
  // must confirm both on a real organization. Change them here and nowhere else.
  // 1. Each member runs the pack as its own CloudFormation stack, so Fn::Sub with the pseudo
  //    parameters should resolve to that member's evaluator (fixed name from the StackSet).
  // 2. Config documents no intrinsic functions in AutomationAssumeRole, requires the role name to
  //    exist in every account and puts the member's account id in its place; so we pass a literal
  //    ARN of the deploying account with the fixed role name the StackSet creates everywhere.
  return {
    sourceIdentifier: {
      'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${EVALUATOR_FUNCTION_NAME}`,
    },
    automationAssumeRole: `arn:${target.partition}:iam::${target.deployingAccountId}:role/${REMEDIATION_ROLE_NAME}`,
  };
}

export interface PackOptions {
  readonly target: PackTarget;
  /** Default of the max-age parameter; the rule and the remediation both read that parameter. */
  readonly maxAgeDays: number;
  /** Default of the exclusion-parameter-name parameter (an SSM parameter path). */
  readonly exclusionParameterName: string;
  /** Default of the frequency parameter. */
  readonly frequency: EvaluationFrequency;
  readonly remediation: {
    readonly mode: RemediationMode;
    /** MaximumAutomaticAttempts (1-25). */
    readonly maximumAttempts: number;
    /** RetryAttemptSeconds (1-2678000). */
    readonly retryAttemptSeconds: number;
  };
}

/** The pack template as a plain object (CloudFormation shape, only the two allowed types). */
export interface PackTemplate {
  readonly Description: string;
  readonly Parameters: Record<string, Record<string, unknown>>;
  readonly Resources: Record<
    string,
    { Type: string; DependsOn?: string; Properties: Record<string, unknown> }
  >;
}

const ref = (name: string) => ({ Ref: name });

/** Pure: typed options in, template object out. */
export function buildPackTemplate(options: PackOptions): PackTemplate {
  const refs = targetReferences(options.target);
  return {
    Description:
      'iam-unused-cleanup: flags IAM users with a password or access key unused for the max age and ' +
      `revokes them with ${RUNBOOK.documentName} v${RUNBOOK.version}; excluded users stay compliant.`,
    Parameters: {
      [PACK_PARAMETERS.maxAgeDays]: {
        Type: 'String',
        Default: String(options.maxAgeDays),
        Description: 'Days without use after which a password or access key is revoked (1-10000).',
      },
      [PACK_PARAMETERS.exclusionParameterName]: {
        Type: 'String',
        Default: options.exclusionParameterName,
        Description: "SSM parameter (in each account) that lists the account's excluded IAM users.",
      },
      [PACK_PARAMETERS.frequency]: {
        Type: 'String',
        Default: options.frequency,
        AllowedValues: [...EVALUATION_FREQUENCIES],
        Description: 'How often the rule evaluates every IAM user of the account.',
      },
    },
    Resources: {
      [PACK_LOGICAL_IDS.rule]: {
        Type: 'AWS::Config::ConfigRule',
        Properties: {
          ConfigRuleName: CONFIG_RULE_NAME,
          Description: 'IAM users whose password or access keys went unused for the max age.',
          Scope: { ComplianceResourceTypes: ['AWS::IAM::User'] },
          // One key per knob: the Lambda reads these exact names (evaluator/rule-parameters.ts).
          InputParameters: {
            [RULE_PARAMETER_KEYS.maxAgeDays]: ref(PACK_PARAMETERS.maxAgeDays),
            [RULE_PARAMETER_KEYS.exclusionParameterName]: ref(PACK_PARAMETERS.exclusionParameterName),
          },
          Source: {
            Owner: 'CUSTOM_LAMBDA',
            SourceIdentifier: refs.sourceIdentifier,
            SourceDetails: [
              {
                EventSource: 'aws.config',
                MessageType: 'ScheduledNotification',
                MaximumExecutionFrequency: ref(PACK_PARAMETERS.frequency),
              },
            ],
          },
        },
      },
      [PACK_LOGICAL_IDS.remediation]: {
        Type: 'AWS::Config::RemediationConfiguration',
        DependsOn: PACK_LOGICAL_IDS.rule,
        Properties: {
          // Ref gives the rule's real name, whatever suffix Config adds inside the pack.
          ConfigRuleName: ref(PACK_LOGICAL_IDS.rule),
          TargetType: 'SSM_DOCUMENT',
          // Our document (in every member, from the StackSet): it re-checks the user live, then runs
          // the AWS runbook v5 with the three parameters below. By name, no version: the default
          // version runs (docs/exclusions-safety.md, "How Config finds the document").
          TargetId: REMEDIATION_DOCUMENT_NAME,
          Parameters: {
            AutomationAssumeRole: { StaticValue: { Values: [refs.automationAssumeRole] } },
            IAMResourceId: { ResourceValue: { Value: 'RESOURCE_ID' } },
            // The same parameter as the rule's, so the two can never judge by different ages.
            MaxCredentialUsageAge: { StaticValue: { Values: [ref(PACK_PARAMETERS.maxAgeDays)] } },
            // The check reads the same list as the rule.
            ExclusionParameterName: {
              StaticValue: { Values: [ref(PACK_PARAMETERS.exclusionParameterName)] },
            },
          },
          Automatic: options.remediation.mode === 'automatic',
          MaximumAutomaticAttempts: options.remediation.maximumAttempts,
          RetryAttemptSeconds: options.remediation.retryAttemptSeconds,
        },
      },
    },
  };
}

/**
 * YAML text of the template. No line folding: CDK tokens (account pack) must stay intact on one
 * line so CloudFormation can substitute them.
 */
export function packTemplateToYaml(template: PackTemplate): string {
  return stringify(template, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Tracked artifact path (relative to the repository root) of the organization pack YAML. */
export const ORG_PACK_ARTIFACT = `conformance-pack/${ORG_CONFORMANCE_PACK_NAME}.yaml`;
