import {
  type ConfigRule,
  type ConfigServiceClient,
  DescribeConfigRulesCommand,
} from '@aws-sdk/client-config-service';
import { isOurRuleName } from '../../conformance-pack/names';
import { parseRuleParameters } from '../../evaluator/rule-parameters';
import { collectPages } from '../lib/aws/pages';

/** Our rule in the account and region `config` acts in, with the exclusion parameter it reads. */
export interface DeployedRule {
  readonly ruleName: string;
  readonly exclusionParameterName: string;
}

/**
 * Our rules (org pack member or account pack) with the parameter each one reads, from their
 * InputParameters; parsed by the evaluator's own parser, so defaults apply the same way.
 */
export async function deployedRules(config: ConfigServiceClient): Promise<DeployedRule[]> {
  return (await listOurRules(config)).map((rule) => ({
    ruleName: rule.name,
    exclusionParameterName: parseRuleParameters(rule.inputParameters).exclusionParameterName,
  }));
}

/** Our rules (suffixed in an org pack, plain in an account pack) in the account and region `config` acts in. */
export async function listOurRules(
  config: ConfigServiceClient,
): Promise<{ readonly name: string; readonly inputParameters: string | undefined }[]> {
  const rules: ConfigRule[] = await collectPages(async (token) => {
    const page = await config.send(new DescribeConfigRulesCommand({ NextToken: token }));
    return { items: page.ConfigRules, next: page.NextToken };
  });
  return rules.flatMap((rule) =>
    rule.ConfigRuleName && isOurRuleName(rule.ConfigRuleName)
      ? [{ name: rule.ConfigRuleName, inputParameters: rule.InputParameters }]
      : [],
  );
}

/** Why writing `parameterName` would protect nobody here, or undefined (no rule yet counts as fine). */
export function parameterMismatch(rules: readonly DeployedRule[], parameterName: string): string | undefined {
  const other = rules.find((r) => r.exclusionParameterName !== parameterName);
  if (!other) return undefined;
  return (
    `the rule ${other.ruleName} reads its exclusion list from ${other.exclusionParameterName}, not ${parameterName}; ` +
    `rerun with --parameter-name ${other.exclusionParameterName}`
  );
}
