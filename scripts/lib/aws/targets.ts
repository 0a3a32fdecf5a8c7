import pLimit from 'p-limit';
import type { CliIo } from '../terminal/io';
import type { Mode } from '../terminal/options';
import { createProgress } from '../terminal/progress';
import type { AwsClients } from './clients';
import { describeFailure } from './errors';
import { isActive, listOrganizationAccounts, managementAccountId } from './organization';

/** One account a command works in, with a way to reach it (assumed role or current credentials). */
export interface AccountTarget {
  readonly accountId: string;
  readonly accountName: string;
  /** True when the clients are the caller's own (account mode): no role is assumed. */
  readonly current: boolean;
  /** The organization's management account (organization mode). */
  readonly isManagement?: boolean;
  /** Named by the operator (--account or the sync file), not just part of "every account". */
  readonly explicit?: boolean;
}

/** An account the command was asked about but will not touch, with the reason. */
export interface SkippedAccount {
  readonly accountId: string;
  readonly accountName: string;
  readonly reason: string;
}

export interface ResolvedTargets {
  readonly targets: readonly AccountTarget[];
  readonly skipped: readonly SkippedAccount[];
}

export interface TargetScope {
  /** Only these accounts (default: every ACTIVE account of the organization). */
  readonly only?: readonly string[];
  /** Accounts named elsewhere (e.g. in a file) that must be reported when they are not in the organization. */
  readonly named?: readonly string[];
}

/**
 * Organization mode: the ACTIVE accounts of the organization, or those of `scope.only` that are
 * in it. Accounts outside the organization or not ACTIVE are never touched; they come back in
 * `skipped`. Account mode: the caller's own account.
 */
export async function resolveTargets(
  clients: AwsClients,
  mode: Mode,
  scope: TargetScope = {},
): Promise<ResolvedTargets> {
  if (mode === 'account') {
    const { accountId } = await clients.callerIdentity();
    return { targets: [{ accountId, accountName: '', current: true }], skipped: [] };
  }
  const [accounts, management] = await Promise.all([
    listOrganizationAccounts(clients.organizations),
    managementAccountId(clients.organizations),
  ]);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const only = scope.only?.length ? new Set(scope.only) : undefined;
  const asked = new Set([...(only ?? []), ...(scope.named ?? [])]);
  const targets: AccountTarget[] = accounts
    .filter((a) => isActive(a) && (only === undefined || only.has(a.id)))
    .map((a) => ({
      accountId: a.id,
      accountName: a.name,
      current: false,
      isManagement: a.id === management,
      explicit: asked.has(a.id),
    }));
  const skipped: SkippedAccount[] = [];
  for (const id of [...asked].sort()) {
    const account = byId.get(id);
    if (!account)
      skipped.push({ accountId: id, accountName: '', reason: 'not in the organization; not touched' });
    else if (!isActive(account) && (only === undefined || only.has(id)))
      skipped.push({
        accountId: id,
        accountName: account.name,
        reason: `account is ${account.status}; not touched`,
      });
  }
  return { targets, skipped };
}

/**
 * Runs `work` for each target with bounded concurrency; a failing account becomes a failure
 * entry (one line) while the others carry on. Progress goes to stderr for org-wide runs.
 */
export async function forEachAccount<R>(
  io: CliIo,
  label: string,
  targets: readonly AccountTarget[],
  concurrency: number,
  work: (target: AccountTarget) => Promise<R>,
): Promise<
  Array<{ target: AccountTarget; ok: true; value: R } | { target: AccountTarget; ok: false; error: string }>
> {
  const progress = targets.some((t) => !t.current) ? createProgress(io, label, targets.length) : undefined;
  const limit = pLimit(concurrency);
  const settled = await Promise.allSettled(
    targets.map((target) =>
      limit(async () => {
        try {
          const value = await work(target);
          progress?.done(target.accountId, 'ok');
          return value;
        } catch (error) {
          progress?.done(target.accountId, 'failed');
          throw error;
        }
      }),
    ),
  );
  return settled.map((result, i) => {
    const target = targets[i] as AccountTarget;
    return result.status === 'fulfilled'
      ? { target, ok: true as const, value: result.value }
      : { target, ok: false as const, error: describeFailure(result.reason) };
  });
}
