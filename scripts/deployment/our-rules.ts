import {
  type ConfigRule,
  type ConfigServiceClient,
  paginateDescribeAggregateComplianceByConfigRules,
  paginateDescribeConfigRules,
} from '@aws-sdk/client-config-service';
import { AGGREGATOR_NAME, isOurRuleName } from '../../conformance-pack/names';
import { parseRuleParameters } from '../../evaluator/rule-parameters';
import { allItems, pagesOf } from '../lib/aws/pages';

/** Our rule in the account and region `config` acts in, with its InputParameters (unparsed). */
export interface OurRule {
  readonly ruleName: string;
  readonly inputParameters: string | undefined;
  /** The periodic trigger's MaximumExecutionFrequency (a custom rule carries it in SourceDetails). */
  readonly maximumExecutionFrequency?: string;
}

/** Our rule as the organization aggregator sees it in one account and region. */
export interface RuleInstance {
  readonly accountId: string;
  readonly region: string;
  readonly ruleName: string;
}

/** DescribeAggregateComplianceByConfigRules' largest page. */
const AGGREGATE_RULES_LIMIT = 1000;

function frequencyOf(rule: ConfigRule): { maximumExecutionFrequency?: string } {
  const f =
    rule.MaximumExecutionFrequency ??
    rule.Source?.SourceDetails?.find((d) => d.MaximumExecutionFrequency)?.MaximumExecutionFrequency;
  return f === undefined ? {} : { maximumExecutionFrequency: f };
}

/**
 * Our rules (suffixed in an org pack, plain in an account pack) in the account and region
 * `config` acts in (DescribeConfigRules, all pages).
 */
export async function findOurRules(config: ConfigServiceClient): Promise<OurRule[]> {
  const rules = await allItems(paginateDescribeConfigRules(pagesOf(config), {}), (p) => p.ConfigRules);
  return rules.flatMap((rule) =>
    rule.ConfigRuleName && isOurRuleName(rule.ConfigRuleName)
      ? [
          {
            ruleName: rule.ConfigRuleName,
            inputParameters: rule.InputParameters,
            ...frequencyOf(rule),
          },
        ]
      : [],
  );
}

/**
 * The same rules seen through the organization aggregator, one per account and region. A second
 * function because the API differs: the aggregator answers for every account at once, without
 * InputParameters, and each hit carries its account and region.
 */
export async function findOurRulesInAggregator(config: ConfigServiceClient): Promise<RuleInstance[]> {
  const found = await allItems(
    paginateDescribeAggregateComplianceByConfigRules(pagesOf(config), {
      ConfigurationAggregatorName: AGGREGATOR_NAME,
      Limit: AGGREGATE_RULES_LIMIT,
    }),
    (p) => p.AggregateComplianceByConfigRules,
  );
  return found.flatMap((r) =>
    r.ConfigRuleName && r.AccountId && r.AwsRegion && isOurRuleName(r.ConfigRuleName)
      ? [{ accountId: r.AccountId, region: r.AwsRegion, ruleName: r.ConfigRuleName }]
      : [],
  );
}

/**
 * Why writing `parameterName` would protect nobody here, or undefined (no rule yet counts as
 * fine). Each rule's parameter comes from the evaluator's own parser, so defaults apply the same way.
 */
export function parameterMismatch(rules: readonly OurRule[], parameterName: string): string | undefined {
  const read = rules.map((rule) => ({
    ruleName: rule.ruleName,
    exclusionParameterName: parseRuleParameters(rule.inputParameters).exclusionParameterName,
  }));
  const other = read.find((r) => r.exclusionParameterName !== parameterName);
  if (!other) return undefined;
  return (
    `the rule ${other.ruleName} reads its exclusion list from ${other.exclusionParameterName}, not ${parameterName}; ` +
    `rerun with --parameter-name ${other.exclusionParameterName}`
  );
}
