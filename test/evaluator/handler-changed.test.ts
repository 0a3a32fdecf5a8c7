import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand } from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { readRecordedVerdicts } from '../../evaluator/aws/recorded-evaluations';
import { MS_PER_DAY } from '../../evaluator/decision';
import { ConfigReadError } from '../../evaluator/errors';
import { CallCounter } from '../../evaluator/facts/types';
import { RULE_NAME } from './handler-fixtures';

/** Reading the recorded verdicts the write-only-what-changed run compares with (evaluator/aws/recorded-evaluations.ts). */

const START = new Date('2025-06-01T06:00:00Z');
const day = (n: number) => new Date(START.getTime() + n * MS_PER_DAY);

describe('readRecordedVerdicts', () => {
  const configMock = mockClient(ConfigServiceClient);

  it('reads every page, 100 at a time, keeping compliance, state token and recording time', async () => {
    // Prepare: 250 results and one of another resource type.
    configMock.reset();
    const results = Array.from({ length: 250 }, (_, i) => ({
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: { ResourceType: 'AWS::IAM::User', ResourceId: `AIDA${i}` },
      },
      ComplianceType: i % 2 ? ('COMPLIANT' as const) : ('NON_COMPLIANT' as const),
      Annotation: i === 0 ? 'older format, no token' : `u${i}: ok [v1 C]`,
      ResultRecordedTime: day(-i),
    }));
    results.push({
      ...results[1],
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: { ResourceType: 'AWS::IAM::Role', ResourceId: 'AROA1' },
      },
    } as never);
    // The SDK's paginator re-uses one input object, so each request is copied as it is sent.
    const requests: { Limit?: number; NextToken?: string; ComplianceTypes?: string[] }[] = [];
    configMock
      .on(GetComplianceDetailsByConfigRuleCommand)
      .callsFake((input: { NextToken?: string; Limit?: number; ComplianceTypes?: string[] }) => {
        requests.push({ ...input });
        const start = Number(input.NextToken ?? 0);
        const end = start + (input.Limit ?? 0);
        return {
          EvaluationResults: results.slice(start, end),
          ...(end < results.length ? { NextToken: String(end) } : {}),
        };
      });
    const calls = new CallCounter();
    // Act
    const recorded = await readRecordedVerdicts(
      new ConfigServiceClient({ region: 'us-east-1' }),
      RULE_NAME,
      calls,
    );
    // Assess
    expect(recorded.size).toBe(250);
    expect(recorded.get('AIDA0')).toEqual({
      compliance: 'NON_COMPLIANT',
      state: undefined,
      recordedAt: day(0),
    });
    expect(recorded.get('AIDA7')).toEqual({ compliance: 'COMPLIANT', state: '[v1 C]', recordedAt: day(-7) });
    expect(requests.map((i) => [i.Limit, i.NextToken])).toEqual([
      [100, undefined],
      [100, '100'],
      [100, '200'],
    ]);
    expect(requests[0]?.ComplianceTypes).toEqual(['COMPLIANT', 'NON_COMPLIANT']);
    expect(calls.snapshot()).toEqual({ GetComplianceDetailsByConfigRule: 3 });
  });

  it.each([
    ['throttled after the SDK retries', 'ThrottlingException'],
    ['denied', 'AccessDeniedException'],
  ])('fails with ConfigReadError, with the cause, when a later page is %s', async (_what, name) => {
    configMock.reset();
    const cause = Object.assign(new Error(`${name} from the mock`), { name });
    configMock
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolvesOnce({ EvaluationResults: [], NextToken: 'next' })
      .rejects(cause);
    const calls = new CallCounter();
    const error = await readRecordedVerdicts(
      new ConfigServiceClient({ region: 'us-east-1' }),
      RULE_NAME,
      calls,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigReadError);
    expect((error as Error).cause).toBe(cause);
    expect((error as Error).message).toContain(name);
    expect(calls.snapshot()).toEqual({ GetComplianceDetailsByConfigRule: 2 });
  });
});
