import {
  type ConfigRule,
  type ConfigServiceClient,
  paginateDescribeConfigRules,
  StartConfigRulesEvaluationCommand,
} from '@aws-sdk/client-config-service';
import { isOurRuleName } from '../../conformance-pack/names';
import { errorName } from '../../evaluator/error-text';
import { ConfigReadError, IamUnusedError } from '../../evaluator/errors';

/** StartConfigRulesEvaluation failed for a reason other than an evaluation already running. */
export class StartEvaluationError extends IamUnusedError {}

/**
 * Second Lambda of the member template: when the exclusion parameter changes (EventBridge
 * `Parameter Store Change`), start our rule's evaluation so the edit takes effect in minutes.
 * The rule's name carries a suffix Config picks, so it is found at run time.
 */

/** StartConfigRulesEvaluation accepts at most 25 rule names per call. */
const START_BATCH = 25;

/**
 * Config refused to start the rule now: an evaluation is running, or one started less than a
 * minute ago. Neither proves the new list will be read (a running evaluation may have read the
 * parameter already), so the message goes back to the change queue (reevaluate-queue.ts), which
 * retries it for longer than any evaluation can run.
 */
export class EvaluationBusyError extends StartEvaluationError {}

export interface ReevaluateResult {
  readonly started: readonly string[];
}

export type LogLine = (line: string) => void;

export async function findOurRuleNames(config: ConfigServiceClient): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const page of paginateDescribeConfigRules({ client: config }, {})) {
      for (const rule of page.ConfigRules ?? ([] as ConfigRule[])) {
        if (rule.ConfigRuleName !== undefined && isOurRuleName(rule.ConfigRuleName)) {
          names.push(rule.ConfigRuleName);
        }
      }
    }
  } catch (cause) {
    throw new ConfigReadError(
      `DescribeConfigRules failed (${errorName(cause)}), so the rule to re-evaluate is unknown. ` +
        'Check the re-evaluate role allows config:DescribeConfigRules.',
      { cause },
    );
  }
  return names;
}

export function createReevaluateHandler(config: ConfigServiceClient, log: LogLine = console.log) {
  return async (): Promise<ReevaluateResult> => {
    const names = await findOurRuleNames(config);
    if (names.length === 0) {
      log(JSON.stringify({ message: 'No iam-unused rule in this account yet; nothing to re-evaluate.' }));
      return { started: [] };
    }
    const started: string[] = [];
    const busy: string[] = [];
    for (let i = 0; i < names.length; i += START_BATCH) {
      const batch = names.slice(i, i + START_BATCH);
      try {
        await config.send(new StartConfigRulesEvaluationCommand({ ConfigRuleNames: batch }));
        started.push(...batch);
      } catch (cause) {
        if (errorName(cause) !== 'LimitExceededException') {
          throw new StartEvaluationError(
            `StartConfigRulesEvaluation for ${batch.join(', ')} failed (${errorName(cause)}). ` +
              'Check the re-evaluate role allows config:StartConfigRulesEvaluation on these rules.',
            { cause },
          );
        }
        busy.push(...batch);
      }
    }
    if (started.length > 0) log(JSON.stringify({ message: 'Re-evaluation started.', rules: started }));
    if (busy.length > 0) {
      throw new EvaluationBusyError(
        `StartConfigRulesEvaluation refused ${busy.join(', ')} (LimitExceededException: an evaluation is ` +
          'running or started less than a minute ago), so the new exclusion list may not be read yet. ' +
          'The change queue retries every 2 minutes for 30 minutes (longer than any run); after that the ' +
          'list takes effect at the next periodic evaluation, or start it yourself with ' +
          `\`aws configservice start-config-rules-evaluation --config-rule-names ${busy.join(' ')}\`.`,
      );
    }
    return { started };
  };
}
