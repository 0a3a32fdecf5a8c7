import { describe, expect, it } from 'vitest';
import {
  mentionsAssumingRole,
  mentionsInvokingFunction,
  remediationSummary,
  summarizeRemediations,
} from '../../../../scripts/commands/status/model';
import { ASSUME_ROLE_ERROR, execution, T1, T2 } from './builders';

describe('summarizeRemediations', () => {
  it('counts each state and picks the newest failure with its failed step', () => {
    const facts = summarizeRemediations('rule-x', [
      execution('AIDA1', 'SUCCEEDED', T1),
      execution('AIDA2', 'FAILED', T1, [{ name: 'old', state: 'FAILED', errorMessage: 'older failure' }]),
      execution('AIDA3', 'FAILED', T2, [
        { name: 'verify', state: 'SUCCEEDED' },
        { name: 'revoke', state: 'FAILED', errorMessage: 'newest failure' },
      ]),
      execution('AIDA4', 'IN_PROGRESS'),
      execution('AIDA5', 'QUEUED'),
      execution('AIDA6', 'UNKNOWN'),
    ]);
    expect(facts).toEqual({
      ruleName: 'rule-x',
      executions: 6,
      succeeded: 1,
      failed: 2,
      running: 2,
      newestFailure: { resourceId: 'AIDA3', at: T2, step: 'revoke', message: 'newest failure' },
    });
    expect(remediationSummary({ kind: 'found', facts })).toBe('2 failed, 1 ok, 2 running, 1 unknown');
  });

  it('falls back to the invocation time and to any step with a message', () => {
    const facts = summarizeRemediations('r', [
      { resourceId: 'AIDA1', state: 'FAILED', invokedAt: T1, steps: [{ name: 's', errorMessage: 'm' }] },
      { resourceId: 'AIDA2', state: 'FAILED', steps: [] },
    ]);
    expect(facts.newestFailure).toEqual({ resourceId: 'AIDA1', at: T1, step: 's', message: 'm' });
  });

  it('no executions, none failed', () => {
    const none = summarizeRemediations('r', []);
    expect(none).toEqual({ ruleName: 'r', executions: 0, succeeded: 0, failed: 0, running: 0 });
    expect(remediationSummary({ kind: 'found', facts: none })).toBe('none');
    expect(remediationSummary({ kind: 'not-checked' })).toBe('-');
    expect(remediationSummary({ kind: 'unreadable', error: 'x' })).toBe('unreadable');
    expect(remediationSummary({ kind: 'not-configured', ruleName: 'r' })).toBe('not configured');
  });
});

describe('likely causes of the unverified choices', () => {
  it.each([
    [ASSUME_ROLE_ERROR, true],
    ['User: arn:aws:sts::111111111111:assumed-role/x is not authorized to perform: sts:AssumeRole', true],
    ['AccessDenied when assuming role arn:aws:iam::222222222222:role/r', true],
    ['An error occurred (AccessDenied) when calling the UpdateAccessKey operation', false],
    ['IAMResourceId not found', false],
    [
      'User: arn:aws:sts::111111111111:assumed-role/iam-unused-cleanup-remediation/s is not authorized to perform: iam:UpdateAccessKey',
      false,
    ],
  ])('assuming the role: %s → %s', (message, expected) => {
    expect(mentionsAssumingRole(message)).toBe(expected);
  });

  it.each([
    ['InsufficientPermissionsException: The rule cannot invoke the function', true],
    ['Config cannot invoke the Lambda function arn:aws:lambda:eu-west-1:111111111111:function:f', true],
    ['Lambda.ResourceNotFoundException: Function not found', true],
    ['Lambda.ExclusionListUnavailableError: exclusion list unreadable', false],
  ])('invoking the function: %s → %s', (message, expected) => {
    expect(mentionsInvokingFunction(message)).toBe(expected);
  });
});
