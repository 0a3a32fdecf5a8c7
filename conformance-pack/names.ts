/**
 * The one module that owns every name shared by the deployment (infra/, conformance-pack/) and
 * the operator CLI (scripts/): resource names, the rule name prefix, the parameter path. Never
 * retype one of these elsewhere. (CDK settings keys live in infra/setting-keys.ts, service
 * principals in infra/service-principals.ts.)
 */
export {
  DEFAULT_EXCLUSION_PARAMETER_NAME,
  DEFAULT_MAX_AGE_DAYS,
  DEFAULT_REFRESH_DAYS,
  RULE_PARAMETER_KEYS,
} from '../evaluator/rule-parameters';

/** The AWS-owned runbook the remediation runs; the evaluator mirrors exactly this version. */
export const RUNBOOK = {
  documentName: 'AWSConfigRemediation-RevokeUnusedIAMUserCredentials',
  version: '5',
} as const;

/** Organization conformance pack name ([a-zA-Z][-a-zA-Z0-9]*, at most 128). */
export const ORG_CONFORMANCE_PACK_NAME = 'iam-unused-credentials';
/** Account-level conformance pack name (single-account mode and the management account). */
export const ACCOUNT_CONFORMANCE_PACK_NAME = 'iam-unused-credentials';
/** The custom rule's name inside the pack. Members see it suffixed (see memberRuleNamePrefix). */
export const CONFIG_RULE_NAME = 'iam-unused-credentials-check';

/** Fixed role and function names: the pack, the CLI and the StackSet must find them in every account. */
export const EVALUATOR_FUNCTION_NAME = 'iam-unused-cleanup-evaluator';
export const REMEDIATION_ROLE_NAME = 'iam-unused-cleanup-remediation';
export const EXCLUSIONS_ROLE_NAME = 'iam-unused-cleanup-exclusions';
/** The member template's second Lambda: re-evaluates the rule when the exclusion list changes. */
export const REEVALUATE_FUNCTION_NAME = 'iam-unused-cleanup-reevaluate';
/** CloudWatch alarm on the evaluator's Errors metric, in every account. */
export const EVALUATOR_ALARM_NAME = 'iam-unused-cleanup-evaluator-errors';

export const STACKSET_NAME = 'iam-unused-cleanup-member';
export const ADMIN_STACK_NAME = 'IamUnusedCleanupDelegatedAdmin';
export const ACCOUNT_STACK_NAME = 'IamUnusedCleanupAccount';
export const AGGREGATOR_NAME = 'iam-unused-cleanup-organization';

/**
 * In each member, an org pack is deployed as `OrgConformsPack-<name>-<suffix>`.
 * Likely, not confirmed: docs/aws-behaviour.md, "Organization conformance packs".
 */
export function memberConformancePackPrefix(packName: string = ORG_CONFORMANCE_PACK_NAME): string {
  return `OrgConformsPack-${packName}-`;
}

/**
 * In each member, an org pack's rule is named `<rule>-conformance-pack-<suffix>`.
 * Likely, not confirmed: docs/aws-behaviour.md, "Organization conformance packs".
 */
export function memberRuleNamePrefix(ruleName: string = CONFIG_RULE_NAME): string {
  return `${ruleName}-conformance-pack-`;
}

/** Whether a Config rule name in a member account is our rule (org pack member, or the plain name). */
export function isOurRuleName(name: string): boolean {
  return name === CONFIG_RULE_NAME || name.startsWith(memberRuleNamePrefix());
}
