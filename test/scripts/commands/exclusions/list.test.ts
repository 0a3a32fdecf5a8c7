import { DescribeOrganizationCommand, ListAccountsCommand } from '@aws-sdk/client-organizations';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXCLUSION_PARAMETER_NAME, EXCLUSIONS_ROLE_NAME } from '../../../../conformance-pack/names';
import { accountOf, awsError, manyAccounts, organizationAccounts, runCli } from '../../../support/harness';
import { fakeParameters, mocks, useMocks } from './fixture';

useMocks();

describe('exclusions list', () => {
  it('lists each active account through the exclusions role', async () => {
    // Given
    fakeParameters(
      mocks,
      new Map([
        ['111111111111', { value: 'breakglass,ci-deployer', version: 3 }],
        ['222222222222', { value: ',', version: 1 }],
      ]),
    );
    // When
    const { code, stdout, stderr } = await runCli(['exclusions', 'list', '--output', 'json']);
    // Then
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      expect.objectContaining({
        accountId: '111111111111',
        status: 'listed',
        entries: ['breakglass', 'ci-deployer'],
        version: 3,
      }),
      expect.objectContaining({ accountId: '222222222222', status: 'listed', entries: [], version: 1 }),
    ]);
    const roles = mocks.sts
      .commandCalls(AssumeRoleCommand)
      .map((c) => c.args[0].input.RoleArn)
      .sort();
    expect(roles).toEqual([
      `arn:aws:iam::111111111111:role/${EXCLUSIONS_ROLE_NAME}`,
      `arn:aws:iam::222222222222:role/${EXCLUSIONS_ROLE_NAME}`,
    ]);
    expect(mocks.ssm.commandCalls(GetParameterCommand)[0]?.args[0].input.Name).toBe(
      DEFAULT_EXCLUSION_PARAMETER_NAME,
    );
    expect(stderr).toContain('exclusions list: 2/2');
  });

  it('prints a table with "(no parameter)" for an account without the parameter', async () => {
    // Given
    fakeParameters(mocks, new Map([['111111111111', { value: 'breakglass', version: 2 }]]));
    // When
    const { code, stdout } = await runCli(['exclusions', 'list', '--account', '222222222222']);
    // Then
    expect(code).toBe(0);
    expect(stdout).toContain('222222222222  sandbox');
    expect(stdout).toContain('(no parameter)');
    expect(stdout).not.toContain('111111111111');
  });

  it('reads every page of ListAccounts (>100 accounts) and bounds concurrency', async () => {
    // Given
    const accounts = manyAccounts(130);
    organizationAccounts(mocks, accounts, 50);
    let inFlight = 0;
    let maxInFlight = 0;
    mocks.ssm.on(GetParameterCommand).callsFake(async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight -= 1;
      return { Parameter: { Value: 'breakglass', Version: 1 } };
    });
    // When
    const { code, stdout } = await runCli(['exclusions', 'list', '--output', 'json', '--concurrency', '4']);
    // Then
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveLength(130);
    expect(mocks.organizations.commandCalls(ListAccountsCommand)).toHaveLength(3);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('reports AccessDenied in one account and still lists the others (exit 1)', async () => {
    // Given
    fakeParameters(mocks, new Map([['222222222222', { value: 'breakglass', version: 1 }]]));
    mocks.sts
      .on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::111111111111:role/${EXCLUSIONS_ROLE_NAME}` })
      .rejects(awsError('AccessDenied', 'User is not authorized to perform: sts:AssumeRole'));
    // When
    const { code, stdout } = await runCli(['exclusions', 'list', '--output', 'json']);
    // Then
    expect(code).toBe(1);
    const rows = JSON.parse(stdout);
    expect(rows[0]).toMatchObject({ accountId: '111111111111', status: 'failed' });
    expect(rows[0].message).toContain('AccessDenied');
    expect(rows[1]).toMatchObject({ accountId: '222222222222', status: 'listed', entries: ['breakglass'] });
  });

  it('reports throttling that outlasted the SDK retries as that account failing', async () => {
    // Given
    mocks.ssm.on(GetParameterCommand).callsFake(async (_input, getClient) => {
      if ((await accountOf(getClient)) === '222222222222')
        throw awsError('ThrottlingException', 'Rate exceeded');
      return { Parameter: { Value: 'breakglass', Version: 1 } };
    });
    // When
    const { code, stdout } = await runCli(['exclusions', 'list']);
    // Then
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /222222222222\s+sandbox\s+-\s+FAILED: ThrottlingException: Rate exceeded \(throttled/,
    );
    expect(stdout).toMatch(/111111111111\s+workloads\s+1\s+breakglass/);
  });

  it('flags a parameter holding entries the evaluator refuses', async () => {
    // Given
    fakeParameters(mocks, new Map([['111111111111', { value: 'ok-user,bad user!', version: 5 }]]));
    // When
    const { code, stdout } = await runCli(['exclusions', 'list', '--account', '111111111111']);
    // Then
    expect(code).toBe(1);
    expect(stdout).toContain('bad user!');
  });

  it('reports the management account without the exclusions role as not deployed (exit 0), but fails when asked for it', async () => {
    // Given
    mocks.organizations
      .on(DescribeOrganizationCommand)
      .resolves({ Organization: { MasterAccountId: '222222222222' } });
    fakeParameters(mocks, new Map([['111111111111', { value: 'breakglass', version: 1 }]]));
    mocks.sts
      .on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::222222222222:role/${EXCLUSIONS_ROLE_NAME}` })
      .rejects(awsError('AccessDenied', 'no role'));
    // When
    const all = await runCli(['exclusions', 'list', '--output', 'json']);
    // Then
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)[1]).toMatchObject({ accountId: '222222222222', status: 'not-deployed' });
    expect(JSON.parse(all.stdout)[1].message).toContain('--mode account');
    const asked = await runCli(['exclusions', 'list', '--account', '222222222222', '--output', 'json']);
    expect(asked.code).toBe(1);
    expect(JSON.parse(asked.stdout)[0]).toMatchObject({ status: 'failed' });
  });

  it('skips an --account that is not in the organization without touching it', async () => {
    // Given
    fakeParameters(mocks, new Map());
    // When
    const { code, stdout } = await runCli(['exclusions', 'list', '--account', '555555555555']);
    // Then
    expect(code).toBe(1);
    expect(stdout).toContain('not in the organization');
    expect(mocks.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });
});
