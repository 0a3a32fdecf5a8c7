import { Annotations, type Stack } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Settings } from '../settings';
import { WarningsHub } from './hub';
import { centralEventBusArn } from './names';

/** Where a stack's member resources forward warnings, and the hub when this stack holds it. */
export interface WarningRouting {
  readonly centralEventBusArn: string | undefined;
  readonly hub: WarningsHub | undefined;
}

/**
 * Organization modes: the hub lives in the delegated-admin stack and every member (the StackSet's
 * and the management account's) forwards to its bus; without organizationId nothing is routed
 * and synth says so. Account mode: the hub and the forwarding share the one account.
 * Warnings off (0 days): no routing at all.
 */
export function addWarningRouting(
  stack: Stack,
  settings: Settings,
  role: 'admin' | 'account',
  logRetention: RetentionDays,
): WarningRouting {
  const none = { centralEventBusArn: undefined, hub: undefined };
  if (settings.warnings.daysBeforeRevoke === 0) return none;
  if (settings.organization === undefined) {
    const hub = new WarningsHub(stack, 'Warnings', {
      organizationId: undefined,
      notificationEmails: settings.warnings.notificationEmails,
      logRetention,
    });
    return { centralEventBusArn: hub.bus.eventBusArn, hub };
  }
  const organizationId = settings.warnings.organizationId;
  if (organizationId === undefined) {
    if (role === 'admin') {
      Annotations.of(stack).addWarningV2(
        'iam-unused:warnings-unrouted',
        "organizationId is not set: warnings stay on each account's default event bus and no topic or digest is " +
          'deployed. Set organizationId (`aws organizations describe-organization`) to route them centrally.',
      );
    }
    return none;
  }
  const busArn = centralEventBusArn(
    settings.partition,
    settings.homeRegion,
    settings.organization.delegatedAdminAccountId,
  );
  if (role === 'account') return { centralEventBusArn: busArn, hub: undefined };
  const hub = new WarningsHub(stack, 'Warnings', {
    organizationId,
    notificationEmails: settings.warnings.notificationEmails,
    logRetention,
  });
  return { centralEventBusArn: busArn, hub };
}
