import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/**
 * What invoked the reconciler: the schedule, a StackSet instance event, a change of the pause
 * parameter, or the deploy-time custom resource. Anything else is reconciled like the schedule.
 */
export type Trigger =
  | { readonly kind: 'run'; readonly hints: ReadonlySet<string>; readonly source: string }
  | { readonly kind: 'deploy'; readonly event: CloudFormationCustomResourceEvent };

export const STACK_INSTANCE_DETAIL_TYPE = 'CloudFormation StackSet StackInstance Status Change';

/** Account id inside a member stack ARN: arn:<partition>:cloudformation:<region>:<account>:stack/... */
const STACK_ARN_ACCOUNT = /^arn:[a-z-]+:cloudformation:[a-z0-9-]+:(\d{12}):stack\//;

export function triggerOf(event: unknown): Trigger {
  const e = (event ?? {}) as Record<string, unknown>;
  if (typeof e.RequestType === 'string' && typeof e.ResponseURL === 'string') {
    return { kind: 'deploy', event: event as CloudFormationCustomResourceEvent };
  }
  const detail = (e.detail ?? {}) as Record<string, unknown>;
  if (e['detail-type'] === STACK_INSTANCE_DETAIL_TYPE && typeof detail['stack-id'] === 'string') {
    const account = STACK_ARN_ACCOUNT.exec(detail['stack-id'])?.[1];
    return { kind: 'run', hints: new Set(account === undefined ? [] : [account]), source: 'stackset-event' };
  }
  const source = typeof e['detail-type'] === 'string' ? e['detail-type'] : 'direct';
  return { kind: 'run', hints: new Set(), source };
}
