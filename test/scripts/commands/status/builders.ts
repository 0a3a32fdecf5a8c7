import { assessHealth } from '../../../../scripts/commands/status/health';
import type {
  ComponentState,
  DeploymentScope,
  PackKind,
  RemediationExecutionFacts,
  RemediationState,
  RuleState,
} from '../../../../scripts/commands/status/model';

/** Shared builders for the status model and health tests. */

export const OK: ComponentState = { present: true, summary: 'ok' };
export const ABSENT: ComponentState = { present: false, summary: 'absent' };
export const T1 = new Date('2025-08-26T00:00:00Z');
export const T2 = new Date('2025-08-27T00:00:00Z');
export const found = (
  facts: Partial<{ lastSuccessfulEvaluation: Date; lastFailedEvaluation: Date; lastErrorCode: string }>,
): RuleState => ({
  kind: 'found',
  facts: { ruleName: 'r', ...facts },
});
export const health = (
  evaluator: ComponentState,
  pack: ComponentState,
  rule: RuleState,
  isManagementAccount = false,
  remediation: RemediationState = { kind: 'not-checked' },
  packKind: PackKind = 'organization',
) =>
  assessHealth({
    evaluator,
    pack,
    rule,
    remediation,
    packKind,
    isManagementAccount,
    evaluatorName: 'StackSet instance',
  });

/** An organization-mode account in the given scope (from the pack's ExcludedAccounts). */
export const scoped = (
  scope: DeploymentScope,
  evaluator: ComponentState,
  pack: ComponentState,
  rule: RuleState = { kind: 'not-checked' },
  more: { isManagementAccount?: boolean; remediation?: RemediationState } = {},
) =>
  assessHealth({
    evaluator,
    pack,
    rule,
    remediation: more.remediation ?? { kind: 'not-checked' },
    packKind: 'organization',
    scope,
    isManagementAccount: more.isManagementAccount ?? false,
    evaluatorName: 'StackSet instance',
  });

export const ASSUME_ROLE_ERROR =
  'Step fails when it is Verifying the defined assume role. The defined assume role is unable to be assumed.';

export const execution = (
  resourceId: string,
  state: string,
  updatedAt?: Date,
  steps: RemediationExecutionFacts['steps'] = [],
): RemediationExecutionFacts => ({ resourceId, state, ...(updatedAt ? { updatedAt } : {}), steps });
