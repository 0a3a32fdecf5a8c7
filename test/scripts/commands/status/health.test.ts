import { describe, expect, it } from 'vitest';
import { orgPackState, stackInstancesState } from '../../../../scripts/commands/status/components';
import { PACK_NOT_DEPLOYED } from '../../../../scripts/commands/status/health';
import {
  lastError,
  type RemediationState,
  summarizeRemediations,
  UNVERIFIED_CAUSES,
} from '../../../../scripts/commands/status/model';
import { EXCLUDED_NOTE, MANAGEMENT_NOT_COVERED } from '../../../../scripts/lib/aws/organization';
import { ABSENT, ASSUME_ROLE_ERROR, execution, found, health, OK, scoped, T1, T2 } from './builders';

describe('assessHealth', () => {
  it('is healthy with both pieces and a successful last evaluation', () => {
    expect(health(OK, OK, found({ lastSuccessfulEvaluation: T2, lastFailedEvaluation: T1 }))).toEqual({
      healthy: true,
      problems: [],
    });
  });

  it('names a scope mismatch both ways', () => {
    expect(health(ABSENT, OK, { kind: 'not-checked' }).problems[0]).toMatch(/^pack without evaluator/);
    expect(health(ABSENT, OK, { kind: 'not-checked' }, true).problems[0]).toContain('management account');
    expect(health(OK, ABSENT, { kind: 'not-found' }).problems).toEqual([
      'evaluator without pack: the conformance pack has not reached this account',
    ]);
  });

  it('the management account without either piece is not covered by design, not a fault', () => {
    // The deployment always lists the management account in the pack's ExcludedAccounts.
    const h = scoped('excluded', ABSENT, ABSENT, { kind: 'not-checked' }, { isManagementAccount: true });
    expect(h).toEqual({ healthy: true, problems: [], note: MANAGEMENT_NOT_COVERED });
    expect(h.note).toContain('Single account');
    // Not excluded (a pack deployed otherwise): the pack would reach it, so missing pieces are a fault.
    expect(health(ABSENT, ABSENT, { kind: 'not-checked' }, true).problems).toEqual([
      'not deployed: neither the StackSet instance nor the conformance pack is in this account; the StackSet never reaches the management account: deploy the account stack there or exclude it from the pack',
    ]);
    expect(health(ABSENT, ABSENT, { kind: 'not-checked' }, false).healthy).toBe(false);
    const failedPack = {
      present: false,
      summary: 'CREATE_FAILED',
      problem: 'conformance pack CREATE_FAILED',
    };
    expect(health(ABSENT, failedPack, { kind: 'not-checked' }).problems).toEqual([
      'no StackSet instance in this account',
      'conformance pack CREATE_FAILED',
    ]);
  });

  it('a failure newer than the last success is a problem with the error', () => {
    const rule = found({ lastSuccessfulEvaluation: T1, lastFailedEvaluation: T2, lastErrorCode: 'E' });
    expect(health(OK, OK, rule).problems[0]).toContain(
      'last evaluation failed at 2025-08-27T00:00:00.000Z: E',
    );
    expect(lastError(rule)).toBe('E');
    expect(
      lastError(found({ lastSuccessfulEvaluation: T2, lastFailedEvaluation: T1, lastErrorCode: 'E' })),
    ).toBe('-');
  });

  it('never evaluated, rule missing, rule unreadable', () => {
    expect(health(OK, OK, found({})).problems).toEqual(['the rule has not completed an evaluation yet']);
    expect(health(OK, OK, { kind: 'not-found' }).problems[0]).toContain('rule was not found');
    expect(health(OK, OK, { kind: 'unreadable', error: 'AccessDenied' }).problems).toEqual([
      'rule status unavailable: AccessDenied',
    ]);
  });
});

describe('assessHealth: scope from the pack ExcludedAccounts', () => {
  const ruleOk = found({ lastSuccessfulEvaluation: T2 });
  const failedInstance = stackInstancesState([
    { region: 'r', status: 'OUTDATED', detailedStatus: 'FAILED', reason: 'role exists' },
  ]);

  it('an excluded account without either piece is healthy, with the exclusion as its note', () => {
    expect(scoped('excluded', ABSENT, ABSENT)).toEqual({ healthy: true, problems: [], note: EXCLUDED_NOTE });
    // The same account included is not deployed.
    expect(scoped('included', ABSENT, ABSENT)).toEqual({
      healthy: false,
      problems: ['not deployed: neither the StackSet instance nor the conformance pack is in this account'],
    });
  });

  it('an excluded account keeping one piece is a note that names it, not a scope mismatch', () => {
    expect(scoped('excluded', OK, ABSENT)).toEqual({
      healthy: true,
      problems: [],
      note: `${EXCLUDED_NOTE}, yet its StackSet instance (ok) is still here, unused: the StackSet deploys to whole OUs, and no rule calls the evaluator`,
    });
    const packOnly = scoped('excluded', ABSENT, OK, { kind: 'not-found' }, { isManagementAccount: true });
    expect(packOnly.healthy).toBe(true);
    expect(packOnly.note).toBe(
      `${EXCLUDED_NOTE}, yet the conformance pack (ok) is still here: its rule has no evaluator to call until Config removes the pack from this excluded account`,
    );
    const both = scoped('excluded', OK, OK, found({}), {
      remediation: { kind: 'not-configured', ruleName: 'r' },
    });
    expect(both.problems).toEqual([]);
    expect(both.note).toContain('are still here: the rule may still evaluate and remediate here');
    expect(scoped('excluded', OK, orgPackState({ status: 'DELETE_IN_PROGRESS' }, true)).healthy).toBe(true);
  });

  it('in an excluded account a piece that reports a failure is still a problem', () => {
    const h = scoped('excluded', failedInstance, ABSENT);
    expect(h.healthy).toBe(false);
    expect(h.problems).toEqual(['StackSet instance r OUTDATED/FAILED: role exists']);
    expect(h.note).toContain(EXCLUDED_NOTE);
    const failedPack = orgPackState({ status: 'DELETE_FAILED', errorCode: 'E' }, true);
    expect(scoped('excluded', ABSENT, failedPack).problems).toEqual(['conformance pack DELETE_FAILED (E)']);
    const failedRule = found({ lastSuccessfulEvaluation: T1, lastFailedEvaluation: T2, lastErrorCode: 'E' });
    expect(scoped('excluded', OK, OK, failedRule).problems[0]).toMatch(/^last evaluation failed at/);
    expect(scoped('excluded', OK, OK, { kind: 'unreadable', error: 'AccessDenied' }).problems).toEqual([
      'rule status unavailable: AccessDenied',
    ]);
    const failedRemediation: RemediationState = {
      kind: 'found',
      facts: summarizeRemediations('r', [execution('AIDA2', 'FAILED', T2)]),
    };
    expect(scoped('excluded', OK, OK, ruleOk, { remediation: failedRemediation }).problems[0]).toMatch(
      /^remediation failed for 1 of 1 user/,
    );
  });

  it('without the pack every account is unhealthy with the deploy fix, plus its own StackSet failure', () => {
    expect(PACK_NOT_DEPLOYED).toContain('npx cdk deploy IamUnusedCleanupDelegatedAdmin');
    expect(
      scoped('pack-not-deployed', ABSENT, ABSENT, { kind: 'not-checked' }, { isManagementAccount: true }),
    ).toEqual({
      healthy: false,
      problems: [PACK_NOT_DEPLOYED],
    });
    expect(scoped('pack-not-deployed', OK, ABSENT).problems).toEqual([PACK_NOT_DEPLOYED]);
    expect(scoped('pack-not-deployed', failedInstance, ABSENT).problems).toEqual([
      PACK_NOT_DEPLOYED,
      'StackSet instance r OUTDATED/FAILED: role exists',
    ]);
  });
});

describe('assessHealth: remediation and the unverified choices', () => {
  const ruleOk = found({ lastSuccessfulEvaluation: T2 });
  const failedRemediation = (message?: string): RemediationState => ({
    kind: 'found',
    facts: summarizeRemediations('r', [
      execution('AIDA1', 'SUCCEEDED', T1),
      execution('AIDA2', 'FAILED', T2, [
        { name: 'verify', state: 'FAILED', ...(message ? { errorMessage: message } : {}) },
      ]),
    ]),
  });

  it('a failed remediation that could not assume the role names the role ARN form (organization)', () => {
    expect(health(OK, OK, ruleOk, false, failedRemediation(ASSUME_ROLE_ERROR)).problems).toEqual([
      `remediation failed for 1 of 2 user(s); newest 2025-08-27T00:00:00.000Z for AIDA2 at step verify: ${ASSUME_ROLE_ERROR}; likely cause: ${UNVERIFIED_CAUSES.remediationRole}`,
    ]);
  });

  it('in account mode the ARN is passed directly: the cause names the role, not the unverified choice', () => {
    const problem = health(OK, OK, ruleOk, false, failedRemediation(ASSUME_ROLE_ERROR), 'account')
      .problems[0];
    expect(problem).toContain('likely cause: the runbook cannot assume iam-unused-cleanup-remediation');
    expect(problem).not.toContain('unverified');
  });

  it('other failures are problems without a guessed cause', () => {
    const h = health(OK, OK, ruleOk, false, failedRemediation('throttled by IAM'));
    expect(h.healthy).toBe(false);
    expect(h.problems[0]).toMatch(/: throttled by IAM$/);
    expect(health(OK, OK, ruleOk, false, failedRemediation()).problems[0]).toMatch(
      /at step verify: no step error message$/,
    );
  });

  it('succeeded or running remediations are healthy; unreadable or missing configuration are not', () => {
    const ok: RemediationState = {
      kind: 'found',
      facts: summarizeRemediations('r', [execution('A', 'SUCCEEDED'), execution('B', 'IN_PROGRESS')]),
    };
    expect(health(OK, OK, ruleOk, false, ok)).toEqual({ healthy: true, problems: [] });
    expect(
      health(OK, OK, ruleOk, false, { kind: 'unreadable', error: 'AccessDeniedException: no' }).problems,
    ).toEqual(['remediation status unavailable: AccessDeniedException: no']);
    expect(health(OK, OK, ruleOk, false, { kind: 'not-configured', ruleName: 'r' }).problems[0]).toContain(
      'has no remediation configuration',
    );
    expect(health(OK, ABSENT, ruleOk, false, { kind: 'not-configured', ruleName: 'r' }).problems).toEqual([
      'evaluator without pack: the conformance pack has not reached this account',
    ]);
  });

  it('a rule that Config cannot invoke names the Fn::Sub function ARN when the evaluator is there', () => {
    const rule = found({
      lastSuccessfulEvaluation: T1,
      lastFailedEvaluation: T2,
      lastErrorCode: 'InsufficientPermissionsException',
    });
    expect(health(OK, OK, rule).problems).toEqual([
      `last evaluation failed at 2025-08-27T00:00:00.000Z: InsufficientPermissionsException (Config could not invoke the evaluator; likely cause: ${UNVERIFIED_CAUSES.functionArn})`,
    ]);
    // Without the evaluator the missing function is the cause, already named.
    const withoutEvaluator = health(ABSENT, OK, rule).problems;
    expect(withoutEvaluator[0]).toMatch(/^pack without evaluator/);
    expect(withoutEvaluator.join(' ')).not.toContain('unverified');
    // The account pack passes the ARN directly.
    expect(health(OK, OK, rule, false, { kind: 'not-checked' }, 'account').problems[0]).toContain(
      'check the function and its permission for config.amazonaws.com',
    );
  });

  it('a pack that failed to create for lack of permissions, evaluator in place, names the function ARN', () => {
    const pack = orgPackState({
      status: 'UPDATE_FAILED',
      errorCode: 'InsufficientPermissionsException',
      errorMessage: 'The rule cannot invoke the function',
    });
    expect(health(OK, pack, ruleOk).problems).toEqual([
      `conformance pack UPDATE_FAILED (InsufficientPermissionsException: The rule cannot invoke the function); likely cause: ${UNVERIFIED_CAUSES.functionArn} (or the pack reached this account before the StackSet did)`,
    ]);
    const failedInstance = stackInstancesState([
      { region: 'r', status: 'OUTDATED', detailedStatus: 'FAILED' },
    ]);
    expect(health(failedInstance, pack, ruleOk).problems.join(' ')).not.toContain('unverified');
  });
});
