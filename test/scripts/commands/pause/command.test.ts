import { GetParametersByPathCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PAUSE_PARAMETER_NAME } from '../../../../infra/rollout/contract';
import {
  type AwsMocks,
  awsError,
  CALLER_ACCOUNT,
  mockAws,
  NOW,
  runCli,
  totalCalls,
} from '../../../support/harness';
import { applied, installRolloutParameters } from './fixture';

const CALLER_ARN = `arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/Admin/operator`;

let mocks: AwsMocks;
beforeEach(() => {
  mocks = mockAws();
  mocks.ssm.on(PutParameterCommand).resolves({ Version: 7 });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function written(): unknown[] {
  return mocks.ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input);
}

describe('iam-unused pause', () => {
  it('without --apply shows the plan and writes nothing', async () => {
    // Given: running normally
    installRolloutParameters(mocks, { applied: applied(false, '2025-08-26T00:00:00.000Z') });
    // When
    const { code, stdout } = await runCli(['pause', '--reason', 'incident  42\n(keys)']);
    // Then
    expect(code).toBe(0);
    expect(stdout).toContain('Now: Revocation active (not paused)');
    expect(stdout).toContain(
      `${PAUSE_PARAMETER_NAME}: not paused now -> {"paused":true,"by":"${CALLER_ARN}","reason":"incident 42 (keys)","at":"2025-08-27T03:00:00.000Z"}`,
    );
    expect(stdout).toContain('Rerun with --apply to pause.');
    expect(written()).toEqual([]);
  });

  it('with --apply writes the parameter, then says what happens next and how to verify', async () => {
    installRolloutParameters(mocks, { applied: applied(false, '2025-08-26T00:00:00.000Z') });
    const { code, stdout } = await runCli(['pause', '--reason', 'incident 42', '--apply']);
    expect(code).toBe(0);
    expect(written()).toEqual([
      {
        Name: PAUSE_PARAMETER_NAME,
        Value: JSON.stringify({
          paused: true,
          by: CALLER_ARN,
          reason: 'incident 42',
          at: new Date(NOW).toISOString(),
        }),
        Type: 'String',
        Overwrite: true,
      },
    ]);
    expect(stdout).toContain(`Wrote ${PAUSE_PARAMETER_NAME} (version 7).`);
    expect(stdout).toContain('automatic remediation off (Automatic=false)');
    expect(stdout).toMatch(/How to verify:\n {2}iam-unused status/);
  });

  it('already paused: nothing to write, even with --apply', async () => {
    installRolloutParameters(mocks, {
      pause: JSON.stringify({ paused: true, by: 'someone', at: '2025-08-27T01:00:00.000Z' }),
      applied: applied(true, '2025-08-27T01:01:00.000Z'),
    });
    const { code, stdout } = await runCli(['pause', '--apply']);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'already says paused since 2025-08-27T01:00:00.000Z by someone: nothing to write',
    );
    expect(stdout).toContain('in effect: the pack was re-put');
    expect(written()).toEqual([]);
  });

  it('warns when no reconciler put is recorded here (wrong account or region)', async () => {
    installRolloutParameters(mocks, {});
    const { stdout } = await runCli(['pause']);
    expect(stdout).toContain('Warning: no pack put by the reconciler is recorded here');
  });

  it('--output json carries the change, the next steps and the checks', async () => {
    installRolloutParameters(mocks, { applied: applied(false, '2025-08-26T00:00:00.000Z') });
    const { stdout } = await runCli(['pause', '--apply', '--output', 'json']);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({
      parameter: PAUSE_PARAMETER_NAME,
      written: true,
      version: 7,
      reconcilerSeen: true,
    });
    expect(out.change).toMatchObject({ paused: true, by: CALLER_ARN });
    expect(out.next).toHaveLength(2);
    expect(out.verify[0]).toContain('iam-unused status');
  });

  it('an unreadable state stops before any write (AccessDenied, exit 3), in one line with the fix', async () => {
    mocks.ssm.on(GetParametersByPathCommand).rejects(awsError('AccessDeniedException', 'no'));
    const { code, stdout, stderr } = await runCli(['pause', '--apply']);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toContain('ssm:GetParametersByPath on /iam-unused-cleanup/rollout');
    expect(written()).toEqual([]);
  });

  it('a refused write (throttled after retries) fails with exit 3 (an AWS failure) and says nothing changed', async () => {
    installRolloutParameters(mocks, {});
    mocks.ssm.on(PutParameterCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const { code, stderr } = await runCli(['pause', '--apply']);
    expect(code).toBe(3);
    expect(stderr).toContain(`Cannot write ${PAUSE_PARAMETER_NAME}`);
    expect(stderr).toContain('nothing changed');
  });

  it('bad usage exits 2 before any AWS call', async () => {
    const { code } = await runCli(['pause', '--output', 'csv']);
    expect(code).toBe(2);
    expect(totalCalls(mocks)).toBe(0);
  });
});

describe('iam-unused resume', () => {
  it('writes paused=false with --apply; the reconciler then re-puts the pack as deployed', async () => {
    installRolloutParameters(mocks, {
      pause: JSON.stringify({ paused: true, by: 'someone', at: '2025-08-27T01:00:00.000Z' }),
      applied: applied(true, '2025-08-27T01:01:00.000Z'),
    });
    const { code, stdout } = await runCli(['resume', '--reason', 'incident closed', '--apply']);
    expect(code).toBe(0);
    expect(written()).toEqual([
      expect.objectContaining({
        Name: PAUSE_PARAMETER_NAME,
        Value: JSON.stringify({
          paused: false,
          by: CALLER_ARN,
          reason: 'incident closed',
          at: new Date(NOW).toISOString(),
        }),
      }),
    ]);
    expect(stdout).toContain('Now: Revocation PAUSED since 2025-08-27T01:00:00.000Z by someone');
    expect(stdout).toContain('automatic remediation as deployed');
  });

  it('not paused: nothing to write', async () => {
    installRolloutParameters(mocks, { applied: applied(false, '2025-08-26T00:00:00.000Z') });
    const { stdout } = await runCli(['resume', '--apply']);
    expect(stdout).toContain('already says not paused');
    expect(written()).toEqual([]);
  });

  it('rewrites a malformed pause parameter (read as paused)', async () => {
    installRolloutParameters(mocks, {
      pause: 'yes please',
      applied: applied(true, '2025-08-26T00:00:00.000Z'),
    });
    const { stdout } = await runCli(['resume', '--apply']);
    expect(stdout).toContain('treated as paused');
    expect(written()).toHaveLength(1);
  });
});
