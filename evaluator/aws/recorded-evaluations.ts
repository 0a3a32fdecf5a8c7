import {
  type ConfigServiceClient,
  paginateGetComplianceDetailsByConfigRule,
} from '@aws-sdk/client-config-service';
import { errorMessage, errorName } from '../error-text';
import { ConfigReadError } from '../errors';
import type { CallCounter } from '../facts/types';
import { parseVerdictState } from '../recorded-annotation';
import type { RecordedVerdict } from '../write-decision';
import { COMPLIANCE_DETAILS_PAGE_SIZE, IAM_USER_RESOURCE_TYPE } from './config-evaluations';

/**
 * What Config holds for the rule: every COMPLIANT or NON_COMPLIANT result, by UserId, with its
 * state token and recording time; ceil(N/100) GetComplianceDetailsByConfigRule calls (the SDK's
 * paginator). Only the token is kept of each annotation, so 50,000 users stay a few MB.
 */
export async function readRecordedVerdicts(
  config: ConfigServiceClient,
  configRuleName: string,
  configCalls: CallCounter,
): Promise<Map<string, RecordedVerdict>> {
  const recorded = new Map<string, RecordedVerdict>();
  const pages = paginateGetComplianceDetailsByConfigRule(
    { client: config, pageSize: COMPLIANCE_DETAILS_PAGE_SIZE },
    { ConfigRuleName: configRuleName, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'] },
  );
  try {
    for await (const page of pages) {
      configCalls.count('GetComplianceDetailsByConfigRule');
      for (const result of page.EvaluationResults ?? []) {
        const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
        if (qualifier?.ResourceType !== IAM_USER_RESOURCE_TYPE || !qualifier.ResourceId) continue;
        recorded.set(qualifier.ResourceId, {
          compliance: result.ComplianceType ?? 'UNKNOWN',
          state: parseVerdictState(result.Annotation),
          recordedAt: result.ResultRecordedTime,
        });
      }
    }
  } catch (cause) {
    // The failed page was a call too.
    configCalls.count('GetComplianceDetailsByConfigRule');
    throw new ConfigReadError(
      `Config GetComplianceDetailsByConfigRule for rule ${configRuleName} failed after SDK retries ` +
        `(${errorName(cause)}: ${errorMessage(cause)}) ` +
        `after ${recorded.size} recorded result(s). Check the role allows config:GetComplianceDetailsByConfigRule.`,
      { cause },
    );
  }
  return recorded;
}
