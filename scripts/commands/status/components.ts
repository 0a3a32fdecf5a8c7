import type { StackInstanceSummary } from '@aws-sdk/client-cloudformation';
import type {
  OrganizationConformancePackDetailedStatus,
  RemediationExecutionStatus,
} from '@aws-sdk/client-config-service';
import type { ComponentState, RemediationExecutionFacts, StackInstanceFacts } from './model';

/**
 * Pure: the state of each deployed piece (StackSet instance or account stack, conformance pack)
 * from what its API said, and the SDK shapes turned into the model's facts.
 */

const ABSENT: ComponentState = { present: false, summary: 'absent' };

export function stackInstancesState(instances: readonly StackInstanceFacts[]): ComponentState {
  if (instances.length === 0) return ABSENT;
  const bad = instances.filter(
    (i) => i.status !== 'CURRENT' || (i.detailedStatus !== undefined && i.detailedStatus !== 'SUCCEEDED'),
  );
  const summary = instances
    .map(
      (i) =>
        `${i.status}${i.detailedStatus && i.detailedStatus !== 'SUCCEEDED' ? `/${i.detailedStatus}` : ''}`,
    )
    .join(', ');
  if (bad.length === 0) return { present: true, summary };
  return {
    present: true,
    summary,
    problem: `StackSet instance ${bad
      .map(
        (i) =>
          `${i.region} ${i.status}${i.detailedStatus ? `/${i.detailedStatus}` : ''}${i.reason ? `: ${i.reason}` : ''}`,
      )
      .join('; ')}`,
  };
}

const ORG_PACK_OK = new Set(['CREATE_SUCCESSFUL', 'UPDATE_SUCCESSFUL']);

/** `excluded`: the account is in the pack's ExcludedAccounts, where Config deleting the pack is expected. */
export function orgPackState(
  status:
    | { readonly status: string; readonly errorCode?: string; readonly errorMessage?: string }
    | undefined,
  excluded = false,
): ComponentState {
  if (!status || status.status === 'DELETE_SUCCESSFUL') return ABSENT;
  if (ORG_PACK_OK.has(status.status) || (excluded && status.status === 'DELETE_IN_PROGRESS'))
    return { present: true, summary: status.status };
  const error = [status.errorCode, status.errorMessage].filter(Boolean).join(': ');
  return {
    present: !status.status.startsWith('CREATE_'),
    summary: status.status,
    problem: `conformance pack ${status.status}${error ? ` (${error})` : ''}`,
  };
}

const STACK_OK = /^(CREATE|UPDATE|IMPORT)_COMPLETE$/;

export function accountStackState(
  stack: { readonly status: string; readonly reason?: string } | undefined,
  stackName: string,
): ComponentState {
  if (!stack) return ABSENT;
  if (STACK_OK.test(stack.status)) return { present: true, summary: stack.status };
  return {
    present: true,
    summary: stack.status,
    problem: `stack ${stackName} ${stack.status}${stack.reason ? ` (${stack.reason})` : ''}`,
  };
}

export function accountPackState(
  pack: { readonly state: string; readonly reason?: string } | undefined,
  packName: string,
): ComponentState {
  if (!pack) return ABSENT;
  if (pack.state === 'CREATE_COMPLETE') return { present: true, summary: pack.state };
  return {
    present: true,
    summary: pack.state,
    problem: `conformance pack ${packName} ${pack.state}${pack.reason ? ` (${pack.reason})` : ''}`,
  };
}

/** The StackSet's instances in one account. */
export function stackInstanceFactsOf(
  instances: readonly StackInstanceSummary[],
  accountId: string,
): StackInstanceFacts[] {
  return instances
    .filter((i) => i.Account === accountId)
    .map((i) => ({
      region: i.Region ?? '',
      status: String(i.Status ?? 'UNKNOWN'),
      ...(i.StackInstanceStatus?.DetailedStatus
        ? { detailedStatus: String(i.StackInstanceStatus.DetailedStatus) }
        : {}),
      ...(i.StatusReason ? { reason: i.StatusReason } : {}),
    }));
}

/** The organization pack's status in one account, or undefined when it has none. */
export function orgPackFactsOf(
  packs: readonly OrganizationConformancePackDetailedStatus[],
  accountId: string,
): { status: string; errorCode?: string; errorMessage?: string } | undefined {
  const p = packs.find((s) => s.AccountId === accountId);
  return p
    ? {
        status: String(p.Status),
        ...(p.ErrorCode ? { errorCode: p.ErrorCode } : {}),
        ...(p.ErrorMessage ? { errorMessage: p.ErrorMessage } : {}),
      }
    : undefined;
}

export function remediationExecutionFactsOf(
  statuses: readonly RemediationExecutionStatus[],
): RemediationExecutionFacts[] {
  return statuses.map((e) => ({
    resourceId: e.ResourceKey?.resourceId ?? '(unknown resource)',
    state: String(e.State ?? 'UNKNOWN'),
    ...(e.InvocationTime ? { invokedAt: e.InvocationTime } : {}),
    ...(e.LastUpdatedTime ? { updatedAt: e.LastUpdatedTime } : {}),
    steps: (e.StepDetails ?? []).map((step) => ({
      ...(step.Name ? { name: step.Name } : {}),
      ...(step.State ? { state: String(step.State) } : {}),
      ...(step.ErrorMessage ? { errorMessage: step.ErrorMessage } : {}),
    })),
  }));
}
