import {
  DescribeAggregateComplianceByConfigRulesCommand,
  DescribeConfigRulesCommand,
  GetComplianceDetailsByConfigRuleCommand,
} from '@aws-sdk/client-config-service';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_RULE_NAME } from '../../../../conformance-pack/names';
import { CALLER_ACCOUNT } from '../../../support/harness';
import { asResultOf, evaluationResults } from '../../../support/report-fixture';
import { jsonReport, useFixtureOrganization } from './fixture';

const fixture = useFixtureOrganization();

describe('report --mode account', () => {
  beforeEach(() => {
    const results = evaluationResults('111111111111').map((r) => asResultOf(r, CONFIG_RULE_NAME));
    fixture.mocks.config
      .on(DescribeConfigRulesCommand)
      .callsFake((input: { NextToken?: string }) =>
        input.NextToken
          ? { ConfigRules: [{ ConfigRuleName: CONFIG_RULE_NAME }] }
          : { ConfigRules: [{ ConfigRuleName: 'unrelated' }], NextToken: 't2' },
      );
    fixture.mocks.config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .callsFake((input: { NextToken?: string }) =>
        input.NextToken
          ? { EvaluationResults: results.slice(2) }
          : { EvaluationResults: results.slice(0, 2), NextToken: 'n2' },
      );
    fixture.mocks.iam.on(ListUsersCommand).callsFake((input: { Marker?: string }) =>
      input.Marker
        ? {
            Users: [
              { UserName: 'bob', UserId: 'AIDAEXAMPLE000000002' },
              { UserName: 'breakglass', UserId: 'AIDAEXAMPLE000000003' },
            ],
            IsTruncated: false,
          }
        : { Users: [{ UserName: 'alice', UserId: 'AIDAEXAMPLE000000001' }], IsTruncated: true, Marker: 'm2' },
    );
  });

  it('reads the rule in the current account with names from IAM, without the aggregator', async () => {
    // When
    const { code, report } = await jsonReport(['--mode', 'account']);
    // Then
    expect(code).toBe(1);
    expect(report.accounts).toEqual([
      { accountId: CALLER_ACCOUNT, accountName: '', users: 3, nonCompliant: 1, excluded: 1 },
    ]);
    expect(report.users.map((r) => r.userName)).toEqual(['alice', 'bob', 'breakglass']);
    expect(
      fixture.mocks.config.commandCalls(GetComplianceDetailsByConfigRuleCommand)[0]?.args[0].input,
    ).toMatchObject({
      ConfigRuleName: CONFIG_RULE_NAME,
      Limit: 100,
    });
    expect(fixture.mocks.config.commandCalls(DescribeAggregateComplianceByConfigRulesCommand)).toHaveLength(
      0,
    );
    expect(fixture.mocks.organizations.calls()).toHaveLength(0);
    expect(fixture.mocks.iam.commandCalls(ListUsersCommand)).toHaveLength(2);
  });

  it('fails with a named reason when the rule is not in this account', async () => {
    // Given
    fixture.mocks.config.on(DescribeConfigRulesCommand).resolves({ ConfigRules: [] });
    // When
    const { code, report } = await jsonReport(['--mode', 'account']);
    // Then
    expect(code).toBe(1);
    expect(report.accounts[0]?.error).toContain('no rule of the conformance pack in eu-west-1');
  });
});
