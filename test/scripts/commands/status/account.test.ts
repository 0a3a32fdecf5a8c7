import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeConfigRuleEvaluationStatusCommand,
  DescribeConfigRulesCommand,
  DescribeConformancePackStatusCommand,
  DescribeRemediationExecutionStatusCommand,
} from '@aws-sdk/client-config-service';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_CONFORMANCE_PACK_NAME,
  ACCOUNT_STACK_NAME,
  CONFIG_RULE_NAME,
} from '../../../../conformance-pack/names';
import { awsError, CALLER_ACCOUNT, runCli } from '../../../support/harness';
import {
  ASSUME_ROLE_ERROR,
  installRemediations,
  json,
  mocks,
  OK_TIME,
  type Remediation,
  useMocks,
} from './fixture';

useMocks();

describe('status --mode account', () => {
  function installAccount(
    stack: 'ok' | 'missing',
    rule: { ok?: Date; failed?: Date },
    remediations: Remediation[] = [],
  ) {
    if (stack === 'ok')
      mocks.cloudFormation.on(DescribeStacksCommand, { StackName: ACCOUNT_STACK_NAME }).resolves({
        Stacks: [{ StackName: ACCOUNT_STACK_NAME, StackStatus: 'UPDATE_COMPLETE', CreationTime: OK_TIME }],
      });
    else
      mocks.cloudFormation
        .on(DescribeStacksCommand)
        .rejects(awsError('ValidationError', `Stack with id ${ACCOUNT_STACK_NAME} does not exist`));
    mocks.config.on(DescribeConformancePackStatusCommand).resolves({
      ConformancePackStatusDetails: [
        {
          ConformancePackName: ACCOUNT_CONFORMANCE_PACK_NAME,
          ConformancePackId: 'id',
          ConformancePackArn: 'arn',
          ConformancePackState: 'CREATE_COMPLETE',
          StackArn: 'arn',
          LastUpdateRequestedTime: OK_TIME,
        },
      ],
    });
    mocks.config
      .on(DescribeConfigRulesCommand)
      .callsFake(() => ({ ConfigRules: [{ ConfigRuleName: CONFIG_RULE_NAME }] }));
    mocks.config.on(DescribeConfigRuleEvaluationStatusCommand).resolves({
      ConfigRulesEvaluationStatus: [
        {
          ConfigRuleName: CONFIG_RULE_NAME,
          ...(rule.ok ? { LastSuccessfulEvaluationTime: rule.ok } : {}),
          ...(rule.failed ? { LastFailedEvaluationTime: rule.failed, LastErrorCode: 'Timeout' } : {}),
        },
      ],
    });
    installRemediations(mocks, () => CONFIG_RULE_NAME, { [CALLER_ACCOUNT]: remediations });
  }

  it('shows the account stack and the pack, healthy → exit 0, without Organizations or roles', async () => {
    // Given
    installAccount('ok', { ok: OK_TIME });
    // When
    const { code, stdout } = await runCli(['status', '--mode', 'account']);
    // Then
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^ACCOUNT\s+NAME\s+STACK\s+PACK/);
    expect(stdout).toMatch(
      /333333333333\s+UPDATE_COMPLETE\s+CREATE_COMPLETE\s+2025-08-27T01:00:00.000Z\s+-\s+none\s+2025-08-27T01:00:00.000Z\s+ok/,
    );
    expect(mocks.organizations.calls()).toHaveLength(0);
    expect(mocks.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(
      mocks.config.commandCalls(DescribeConformancePackStatusCommand)[0]?.args[0].input.ConformancePackNames,
    ).toEqual([ACCOUNT_CONFORMANCE_PACK_NAME]);
  });

  it('reads remediations with its own credentials; the cause names the role, not the org-pack choice', async () => {
    // Given
    installAccount('ok', { ok: OK_TIME }, [
      { state: 'FAILED', at: OK_TIME, message: ASSUME_ROLE_ERROR },
      { state: 'SUCCEEDED', at: OK_TIME },
    ]);
    // When
    const { code, rows } = await json(['--mode', 'account']);
    // Then
    expect(code).toBe(1);
    expect(rows[0]?.problems).toHaveLength(1);
    expect(rows[0]?.problems[0]).toContain(
      'likely cause: the runbook cannot assume iam-unused-cleanup-remediation',
    );
    expect(rows[0]?.problems[0]).not.toContain('unverified');
    expect(
      mocks.config.commandCalls(DescribeRemediationExecutionStatusCommand)[0]?.args[0].input.ConfigRuleName,
    ).toBe(CONFIG_RULE_NAME);
    expect(mocks.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('a missing remediation configuration is named', async () => {
    // Given
    installAccount('ok', { ok: OK_TIME });
    mocks.config
      .on(DescribeRemediationExecutionStatusCommand)
      .rejects(awsError('NoSuchRemediationConfigurationException', 'none'));
    // When
    const { code, rows } = await json(['--mode', 'account']);
    // Then
    expect(code).toBe(1);
    expect(rows[0]?.remediation).toEqual({ kind: 'not-configured', ruleName: CONFIG_RULE_NAME });
    expect(rows[0]?.problems[0]).toContain(`the rule ${CONFIG_RULE_NAME} has no remediation configuration`);
  });

  it('names a pack without its stack, and a rule that never evaluated', async () => {
    // Given
    installAccount('missing', {});
    // When
    const { code, rows } = await json(['--mode', 'account']);
    // Then
    expect(code).toBe(1);
    expect(rows[0]?.problems).toEqual([
      `pack without evaluator: the rule has no Lambda to call here (no account stack ${ACCOUNT_STACK_NAME}); deploy the account stack in this account and region`,
      'the rule has not completed an evaluation yet',
    ]);
  });
});
