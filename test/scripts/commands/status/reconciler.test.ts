import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeConfigRulesCommand,
  DescribeConformancePackStatusCommand,
} from '@aws-sdk/client-config-service';
import { GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { awsError, runCli } from '../../../support/harness';
import { applied, installRolloutParameters, record } from '../pause/fixture';
import { HEALTHY_PAIR, install, mocks, useMocks } from './fixture';

/** `status` (organization mode): the pause and the accounts the reconciler reports not covered. */

useMocks();

const PAUSE = JSON.stringify({
  paused: true,
  by: 'alice',
  reason: 'incident 42',
  at: '2025-08-27T01:00:00.000Z',
});

interface RolloutJson {
  readable: boolean;
  paused?: boolean;
  pauseEffect?: string;
  error?: string;
  uncoveredAccounts?: {
    accountId: string;
    condition: string;
    since: string;
    fix: string;
    awsError: string | null;
  }[];
}

async function rolloutJson(): Promise<{ code: number; rollout: RolloutJson }> {
  const run = await runCli(['status', '--output', 'json']);
  return { code: run.code, rollout: (JSON.parse(run.stdout) as { rollout: RolloutJson }).rollout };
}

describe('status: the reconciler’s view', () => {
  it('healthy and not paused: one line, exit 0', async () => {
    // Given
    install(mocks, HEALTHY_PAIR);
    installRolloutParameters(mocks, { applied: applied(false, '2025-08-27T00:00:00.000Z') });
    // When
    const { code, stdout } = await runCli(['status']);
    // Then
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Rollout (reconciler state under /iam-unused-cleanup/rollout)\nRevocation active (not paused)\n',
    );
    expect(stdout).not.toContain('not covered');
  });

  it('lists each account the reconciler reports failed with the AWS error, since when and the fix (exit 1)', async () => {
    // Given: one account without a recorder for 27 h (alarming), one whose evaluator is missing
    install(mocks, HEALTHY_PAIR);
    installRolloutParameters(mocks, {
      applied: applied(false, '2025-08-27T00:00:00.000Z'),
      records: [
        record('444444444444'),
        record('888888888888', {
          condition: 'evaluator-missing',
          since: '2025-08-27T01:00:00.000Z',
          packStatus: null,
          errorCode: null,
          errorMessage: null,
          stackInstanceStatus: 'MISSING',
          nextAttemptAt: null,
          alarming: false,
          fix: 'The StackSet has no instance in this account: add it to excludedAccountIds, or its OU to targetOrganizationalUnitIds.',
        }),
      ],
    });
    // When
    const { code, stdout, stderr } = await runCli(['status']);
    // Then
    expect(code).toBe(1);
    expect(stdout).toContain('Accounts the reconciler reports not covered (2)');
    expect(stdout).toMatch(
      /444444444444\s+no-recorder\s+2025-08-26T00:00:00.000Z\s+27h\s+ALARM\s+CURRENT\s+CREATE_FAILED\s+2\s+2025-08-27T12:00:00.000Z/,
    );
    expect(stdout).toMatch(
      /888888888888\s+evaluator-missing\s+2025-08-27T01:00:00.000Z\s+2h\s+no\s+MISSING\s+-\s+2\s+none \(fix first\)/,
    );
    expect(stdout).toContain(
      '444444444444\n  - AWS error: NoAvailableConfigurationRecorderException: No configuration recorder is available\n  - fix: Create a configuration recorder in eu-west-1 that records AWS::IAM::User, or add the account to excludedAccountIds.',
    );
    expect(stdout).toContain('888888888888\n  - AWS error: -\n');
    // The per-account rows are all healthy: the exit code comes from the reconciler's records.
    expect(stderr).not.toContain('not healthy');
    const { rollout } = await rolloutJson();
    expect(rollout.uncoveredAccounts?.map((r) => [r.accountId, r.condition, r.awsError])).toEqual([
      [
        '444444444444',
        'no-recorder',
        'NoAvailableConfigurationRecorderException: No configuration recorder is available',
      ],
      ['888888888888', 'evaluator-missing', null],
    ]);
  });

  it('shows the pause and whether it is in effect yet', async () => {
    install(mocks, HEALTHY_PAIR);
    installRolloutParameters(mocks, { pause: PAUSE, applied: applied(false, '2025-08-26T00:00:00.000Z') });
    const { stdout } = await runCli(['status']);
    expect(stdout).toContain(
      'Revocation PAUSED since 2025-08-27T01:00:00.000Z by alice: incident 42; not in effect yet: the reconciler has not re-put the pack since',
    );
    installRolloutParameters(mocks, { pause: PAUSE, applied: applied(true, '2025-08-27T01:01:00.000Z') });
    const { code, rollout } = await rolloutJson();
    expect(code).toBe(0);
    expect(rollout).toMatchObject({ readable: true, paused: true, pauseEffect: 'in-effect' });
  });

  it('says when the reconciler has recorded nothing (not deployed, or another region)', async () => {
    install(mocks, HEALTHY_PAIR);
    const { stdout } = await runCli(['status']);
    expect(stdout).toContain('The reconciler has recorded nothing here yet');
  });

  it.each([
    ['AccessDeniedException', 'not authorized'],
    ['ThrottlingException', 'Rate exceeded'],
  ])(
    'an unreadable state (%s) is shown with the fix and fails the run; the accounts are still listed',
    async (name, message) => {
      install(mocks, HEALTHY_PAIR);
      mocks.ssm.on(GetParametersByPathCommand).rejects(awsError(name, message));
      const { code, stdout } = await runCli(['status']);
      expect(code).toBe(1);
      expect(stdout).toMatch(/^111111111111\s+workloads/m);
      expect(stdout).toContain(
        `unreadable: RolloutStateReadError: Cannot list the rollout state under /iam-unused-cleanup/rollout (GetParametersByPath: ${name}: ${message}`,
      );
      expect(stdout).toContain('ssm:GetParametersByPath');
      const { rollout } = await rolloutJson();
      expect(rollout.readable).toBe(false);
    },
  );

  it('a record the CLI cannot parse is named, not skipped', async () => {
    install(mocks, HEALTHY_PAIR);
    mocks.ssm.on(GetParametersByPathCommand).resolves({
      Parameters: [{ Name: '/iam-unused-cleanup/rollout/accounts/444444444444', Value: '{"v":2}' }],
    });
    const { code, stdout } = await runCli(['status']);
    expect(code).toBe(1);
    expect(stdout).toContain(
      '/iam-unused-cleanup/rollout/accounts/444444444444 is not an account record of version 1',
    );
  });

  it('--mode account reads no reconciler state (rollout: null)', async () => {
    mocks.cloudFormation
      .on(DescribeStacksCommand)
      .rejects(awsError('ValidationError', 'Stack with id x does not exist'));
    mocks.config.on(DescribeConformancePackStatusCommand).resolves({ ConformancePackStatusDetails: [] });
    mocks.config.on(DescribeConfigRulesCommand).resolves({ ConfigRules: [] });
    const run = await runCli(['status', '--mode', 'account', '--output', 'json']);
    expect((JSON.parse(run.stdout) as { rollout: unknown }).rollout).toBeNull();
    expect(mocks.ssm.commandCalls(GetParametersByPathCommand)).toHaveLength(0);
  });
});
