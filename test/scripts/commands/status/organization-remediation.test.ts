import { DescribeRemediationExecutionStatusCommand } from '@aws-sdk/client-config-service';
import { describe, expect, it } from 'vitest';
import { memberRuleNamePrefix } from '../../../../conformance-pack/names';
import { UNVERIFIED_CAUSES } from '../../../../scripts/commands/status/model';
import { accountOf, awsError, runCli, totalCalls } from '../../../support/harness';
import {
  ASSUME_ROLE_ERROR,
  HEALTHY_PAIR,
  install,
  json,
  mocks,
  OK_TIME,
  type Remediation,
  useMocks,
} from './fixture';

useMocks();

describe('status (organization): remediations and the unverified choices', () => {
  const HEALTHY = HEALTHY_PAIR;
  const T1 = new Date('2025-08-27T02:00:00Z');
  const T2 = new Date('2025-08-27T02:30:00Z');

  it('names the remediation role ARN form when remediations fail to assume the role (exit 1)', async () => {
    // Given
    install(mocks, {
      ...HEALTHY,
      remediations: {
        '111111111111': [
          { state: 'SUCCEEDED', at: T1 },
          { state: 'FAILED', at: T1, message: 'older failure' },
          { state: 'FAILED', at: T2, message: ASSUME_ROLE_ERROR },
        ],
        '222222222222': [{ state: 'SUCCEEDED', at: T1 }],
      },
    });
    // When
    const { code, rows, stderr } = await json();
    // Then
    expect(code).toBe(1);
    expect(rows[0]).toMatchObject({
      accountId: '111111111111',
      healthy: false,
      remediation: {
        kind: 'found',
        executions: 3,
        failed: 2,
        succeeded: 1,
        newestFailure: {
          resourceId: 'AIDA00002',
          at: T2.toISOString(),
          step: 'verifyRole',
          message: ASSUME_ROLE_ERROR,
        },
      },
    });
    expect(rows[0]?.problems).toEqual([
      `remediation failed for 2 of 3 user(s); newest ${T2.toISOString()} for AIDA00002 at step verifyRole: ${ASSUME_ROLE_ERROR}; likely cause: ${UNVERIFIED_CAUSES.remediationRole}`,
    ]);
    expect(rows[1]).toMatchObject({ healthy: true, problems: [], remediation: { succeeded: 1, failed: 0 } });
    expect(stderr).toContain('status: 1 of 2 account(s) not healthy');
    // Read inside each member, through the exclusions role, with the member's suffixed rule name.
    expect(
      mocks.config.commandCalls(DescribeRemediationExecutionStatusCommand).map((c) => c.args[0].input),
    ).toEqual(
      expect.arrayContaining([
        { ConfigRuleName: `${memberRuleNamePrefix()}1111`, Limit: 100 },
        { ConfigRuleName: `${memberRuleNamePrefix()}2222`, Limit: 100 },
      ]),
    );

    const table = await runCli(['status']);
    expect(table.stdout).toMatch(
      /111111111111\s+workloads\s+.*\s+2 failed, 1 ok\s+2025-08-27T01:00:00.000Z\s+NOT HEALTHY \(1\)$/m,
    );
    expect(table.stdout).toMatch(/^Problems\n111111111111 workloads\n {2}- remediation failed for 2 of 3/m);
    expect(table.stdout).toContain('remediation role ARN form — an unverified choice');
    expect(table.stdout).toMatch(/222222222222\s+sandbox\s+.*\s+1 ok\s+2025-08-27T01:00:00.000Z\s+ok$/m);
  });

  it('is healthy when every remediation succeeded, reading every page (>100 executions)', async () => {
    // Given
    const many = (n: number): Remediation[] =>
      Array.from({ length: n }, () => ({ state: 'SUCCEEDED', at: T1 }));
    install(mocks, { ...HEALTHY, remediations: { '111111111111': many(230), '222222222222': many(100) } });
    // When
    const { code, rows } = await json();
    // Then
    expect(code).toBe(0);
    expect(rows.map((r) => [r.healthy, r.remediation.executions, r.remediation.succeeded])).toEqual([
      [true, 230, 230],
      [true, 100, 100],
    ]);
    const calls = mocks.config
      .commandCalls(DescribeRemediationExecutionStatusCommand)
      .map((c) => c.args[0].input);
    expect(calls.filter((c) => c.ConfigRuleName?.endsWith('1111')).map((c) => c.NextToken)).toEqual([
      undefined,
      '100',
      '200',
    ]);
    expect(calls.filter((c) => c.ConfigRuleName?.endsWith('2222'))).toHaveLength(1);
  });

  it('a failure on the last page still counts, and the newest failure is found across pages', async () => {
    // Given
    const remediations: Remediation[] = Array.from({ length: 150 }, () => ({ state: 'SUCCEEDED', at: T1 }));
    remediations.push({ state: 'FAILED', at: T2, message: 'IAMResourceId not found' });
    install(mocks, { ...HEALTHY, remediations: { '111111111111': remediations } });
    // When
    const { rows } = await json();
    // Then
    expect(rows[0]?.remediation).toMatchObject({ executions: 151, failed: 1 });
    expect(rows[0]?.problems).toEqual([
      `remediation failed for 1 of 151 user(s); newest ${T2.toISOString()} for AIDA00150 at step verifyRole: IAMResourceId not found`,
    ]);
  });

  it('reports AccessDenied on the remediation status in one account and the others as usual', async () => {
    // Given
    install(mocks, { ...HEALTHY, remediations: { '222222222222': [{ state: 'SUCCEEDED', at: T1 }] } });
    mocks.config.on(DescribeRemediationExecutionStatusCommand).callsFake(async (_input, getClient) => {
      const account = await accountOf(getClient);
      if (account === '111111111111')
        throw awsError(
          'AccessDeniedException',
          'not authorized to perform: config:DescribeRemediationExecutionStatus',
        );
      return {
        RemediationExecutionStatuses: [
          { State: 'SUCCEEDED', ResourceKey: { resourceType: 'AWS::IAM::User', resourceId: 'AIDA1' } },
        ],
      };
    });
    // When
    const { code, rows } = await json();
    // Then
    expect(code).toBe(1);
    expect(rows[0]).toMatchObject({
      accountId: '111111111111',
      healthy: false,
      rule: { kind: 'found', lastSuccessfulEvaluation: OK_TIME.toISOString() },
      remediation: { kind: 'unreadable' },
    });
    expect(rows[0]?.problems).toEqual([
      "remediation status unavailable: AccessDeniedException: not authorized to perform: config:DescribeRemediationExecutionStatus (check the role's permissions in that account)",
    ]);
    expect(rows[1]).toMatchObject({
      accountId: '222222222222',
      healthy: true,
      remediation: { succeeded: 1 },
    });
  });

  it('names the Fn::Sub function ARN when Config cannot invoke the deployed evaluator', async () => {
    // Given
    install(mocks, {
      ...HEALTHY,
      rules: {
        ...HEALTHY.rules,
        '222222222222': {
          failed: OK_TIME,
          code: 'InsufficientPermissionsException',
          message: 'The rule cannot invoke the function',
        },
      },
    });
    // When
    const { code, rows } = await json();
    // Then
    expect(code).toBe(1);
    expect(rows[1]?.problems).toEqual([
      `last evaluation failed at ${OK_TIME.toISOString()}: InsufficientPermissionsException: The rule cannot invoke the function (Config could not invoke the evaluator; likely cause: ${UNVERIFIED_CAUSES.functionArn})`,
    ]);
    expect(rows[0]?.healthy).toBe(true);
  });

  it('does not read remediations where the rule is not found', async () => {
    // Given
    install(mocks, { ...HEALTHY, rules: { '111111111111': { ok: OK_TIME } } });
    // When
    const { rows } = await json();
    // Then
    expect(rows[1]).toMatchObject({
      healthy: false,
      rule: { kind: 'not-found' },
      remediation: { kind: 'not-checked' },
    });
    expect(
      mocks.config
        .commandCalls(DescribeRemediationExecutionStatusCommand)
        .map((c) => c.args[0].input.ConfigRuleName),
    ).toEqual([`${memberRuleNamePrefix()}1111`]);
  });

  it.each([
    [['status', '--output', 'csv'], 'Allowed choices are table, json'],
    [['status', '--concurrency', 'x'], 'whole number'],
    [['status', 'extra'], 'too many arguments'],
    [['status', '--region', 'eu west 1'], 'AWS region'],
    [['status', '--region', ''], 'AWS region'],
  ])('bad usage %j exits 2 with no AWS call', async (args, message) => {
    // When
    const { code, stderr } = await runCli(args);
    // Then
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(totalCalls(mocks)).toBe(0);
  });
});
