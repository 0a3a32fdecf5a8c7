import {
  DescribeOrganizationConformancePacksCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
} from '@aws-sdk/client-config-service';
import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import { EXCLUDED_NOTE } from '../../../../scripts/lib/aws/organization';
import { awsError, organizationAccounts } from '../../../support/harness';
import { evaluationResults, mockPackScope } from '../../../support/report-fixture';
import { givenOrganizationWith, jsonReport, useFixtureOrganization } from './fixture';

const fixture = useFixtureOrganization();

describe('report (organization aggregator): failing and skipped accounts', () => {
  it('reports AccessDenied for one account and still reports the others (exit 1)', async () => {
    // Given
    fixture.mocks.config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand, { AccountId: '111111111111' })
      .rejects(awsError('AccessDeniedException', 'not authorized'));
    // When
    const { code, report, stderr } = await jsonReport();
    // Then
    expect(code).toBe(1);
    expect(report.accounts[0]).toMatchObject({
      accountId: '111111111111',
      error: expect.stringContaining('AccessDeniedException'),
    });
    expect(report.accounts[1]).toMatchObject({ accountId: '222222222222', users: 3 });
    expect(report.users.every((r) => r.accountId === '222222222222')).toBe(true);
    expect(stderr).toContain('account 111111111111 not read');
  });

  it('reports throttling that outlasted retries as that account failing', async () => {
    // Given
    fixture.mocks.config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand, { AccountId: '222222222222' })
      .rejects(awsError('ThrottlingException', 'Rate exceeded'));
    // When
    const { code, report } = await jsonReport();
    // Then
    expect(code).toBe(1);
    expect(report.accounts[1]?.error).toContain('throttled after retries');
    expect(report.accounts[0]?.users).toBe(3);
  });

  it('names an account where the aggregator shows no rule of the pack', async () => {
    // Given
    givenOrganizationWith(fixture.mocks, ['444444444444', 'new-account']);
    // When
    const { code, report } = await jsonReport();
    // Then
    expect(code).toBe(1);
    expect(report.accounts[2]).toMatchObject({
      accountId: '444444444444',
      error: expect.stringContaining('shows no rule'),
    });
  });

  it('notes the management account without the pack instead of failing it', async () => {
    // Given
    givenOrganizationWith(fixture.mocks, ['555555555555', 'management']);
    fixture.mocks.organizations
      .on(DescribeOrganizationCommand)
      .resolves({ Organization: { MasterAccountId: '555555555555' } });
    mockPackScope(fixture.mocks, ['555555555555']);
    // When
    const { report } = await jsonReport(['--non-compliant']);
    // Then
    expect(report.accounts[2]).toMatchObject({ accountId: '555555555555', users: 0 });
    expect(report.accounts[2]?.error).toBeUndefined();
    expect((report.accounts[2] as { note?: string }).note).toContain('management account');
  });

  it('notes an account the pack excludes on purpose instead of failing it', async () => {
    // Given
    givenOrganizationWith(fixture.mocks, ['666666666666', 'partner']);
    mockPackScope(fixture.mocks, ['555555555555', '666666666666']);
    // When
    const { report } = await jsonReport(['--account', '666666666666']);
    // Then
    expect(report.accounts).toEqual([
      expect.objectContaining({ accountId: '666666666666', users: 0, note: EXCLUDED_NOTE }),
    ]);
    expect(report.accounts[0]?.error).toBeUndefined();
  });

  it('fails every account without a rule when the organization pack is not deployed in the region', async () => {
    // Given
    organizationAccounts(fixture.mocks, [['666666666666', 'partner']]);
    fixture.mocks.config
      .on(DescribeOrganizationConformancePacksCommand)
      .rejects(awsError('NoSuchOrganizationConformancePackException', 'no such pack'));
    // When
    const { code, report } = await jsonReport();
    // Then
    expect(code).toBe(1);
    expect(report.accounts[0]?.error).toMatch(
      /conformance pack iam-unused-credentials is not deployed in this region/,
    );
  });

  it('exits 0 when every shown user is compliant and every account was read', async () => {
    // Given
    fixture.mocks.config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand)
      .callsFake((input: { AccountId: string }) => ({
        AggregateEvaluationResults: evaluationResults(input.AccountId).filter(
          (r) => r.ComplianceType === 'COMPLIANT',
        ),
      }));
    // When
    const { code } = await jsonReport();
    // Then
    expect(code).toBe(0);
  });
});
