import { type AggregatorRead, type RecorderVerdict, type RoleRead, recorderVerdict } from './recorder';

/**
 * Pure preflight for `iam-unused rollout`: per account in scope, whether its recorder records
 * AWS::IAM::User in the home region, its StackSet instance and its pack member, and which
 * accounts cannot work yet (proposed for excludedAccountIds, with the reason).
 */

export interface InstanceFacts {
  readonly status: string;
  readonly detailedStatus?: string;
  readonly reason?: string;
}

export interface PackMemberFacts {
  readonly status: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** A listing read whole, absent (not deployed yet), or failed (then every account shows unknown). */
export type Listing<T> =
  | { readonly kind: 'read'; readonly byAccount: ReadonlyMap<string, T> }
  | { readonly kind: 'absent' }
  | { readonly kind: 'failed'; readonly error: string };

export interface PreflightInput {
  readonly homeRegion: string;
  /** Why the home region cannot record IAM users at all (infra/rollout/region-support.ts). */
  readonly regionProblem?: string;
  /** In-scope accounts: ACTIVE and not the management account (the StackSet never reaches it). */
  readonly accounts: readonly { readonly id: string; readonly name: string }[];
  /** The pack's ExcludedAccounts today (empty before the first deploy); undefined when unreadable. */
  readonly excluded: ReadonlySet<string> | undefined;
  readonly managementAccountId: string;
  readonly instances: Listing<InstanceFacts>;
  readonly pack: Listing<PackMemberFacts>;
  readonly aggregator: AggregatorRead;
  readonly roles: ReadonlyMap<string, RoleRead>;
}

export interface PreflightAccount {
  readonly accountId: string;
  readonly accountName: string;
  readonly excluded: boolean;
  readonly recorder: RecorderVerdict;
  readonly stackSetInstance: string;
  readonly pack: string;
  /** Why this account cannot work yet; undefined when it can (or when nothing says it cannot). */
  readonly blocker?: string;
}

export interface Preflight {
  readonly homeRegion: string;
  readonly accounts: readonly PreflightAccount[];
  /** Accounts proposed for excludedAccountIds, sorted. */
  readonly propose: readonly string[];
  /** excludedAccountIds as it would read: today's exclusions (without the management account) plus the proposal. */
  readonly excludedAccountIds: readonly string[];
  /** False when today's exclusions could not be read: excludedAccountIds then holds the proposal only. */
  readonly excludedKnown: boolean;
}

export const NO_RECORDER_ERROR = 'NoAvailableConfigurationRecorderException';
const FAILED_PACK = new Set(['CREATE_FAILED', 'UPDATE_FAILED']);

function cell<T>(listing: Listing<T>, id: string, absent: string, show: (t: T) => string): string {
  switch (listing.kind) {
    case 'absent':
      return absent;
    case 'failed':
      return 'unknown';
    case 'read': {
      const value = listing.byAccount.get(id);
      return value === undefined ? 'none' : show(value);
    }
  }
}

function instanceCell(i: InstanceFacts): string {
  return i.detailedStatus && i.detailedStatus !== 'SUCCEEDED' ? `${i.status}/${i.detailedStatus}` : i.status;
}

function packCell(p: PackMemberFacts): string {
  return p.errorCode ? `${p.status} (${p.errorCode})` : p.status;
}

/** Only what a re-put cannot fix: the reconciler heals a pack that merely came before its evaluator. */
function blockerOf(
  recorder: RecorderVerdict,
  instance: InstanceFacts | undefined,
  member: PackMemberFacts | undefined,
  region: string,
): string | undefined {
  if (recorder.answer === 'no') return `AWS::IAM::User not recorded in ${region} (${recorder.how})`;
  if (
    instance?.status === 'INOPERABLE' ||
    (instance?.status === 'OUTDATED' && instance.detailedStatus === 'FAILED')
  ) {
    return `StackSet instance ${instanceCell(instance)}${instance.reason ? `: ${instance.reason}` : ''}`;
  }
  if (
    member &&
    FAILED_PACK.has(member.status) &&
    member.errorCode === NO_RECORDER_ERROR &&
    recorder.answer !== 'yes'
  ) {
    return `pack ${member.status}: ${NO_RECORDER_ERROR} (no configuration recorder)`;
  }
  return undefined;
}

export function buildPreflight(input: PreflightInput): Preflight {
  const accounts = input.accounts.map((a): PreflightAccount => {
    const excluded = input.excluded?.has(a.id) === true;
    const recorder = recorderVerdict(
      a.id,
      input.homeRegion,
      input.regionProblem,
      input.roles.get(a.id),
      input.aggregator,
    );
    const instance = input.instances.kind === 'read' ? input.instances.byAccount.get(a.id) : undefined;
    const member = input.pack.kind === 'read' ? input.pack.byAccount.get(a.id) : undefined;
    // A home region that cannot record IAM users is fixed by the region, not by excluding everyone.
    const blocker =
      excluded || input.regionProblem !== undefined
        ? undefined
        : blockerOf(recorder, instance, member, input.homeRegion);
    return {
      accountId: a.id,
      accountName: a.name,
      excluded,
      recorder,
      stackSetInstance: cell(input.instances, a.id, 'no StackSet yet', instanceCell),
      pack: cell(input.pack, a.id, 'no pack yet', packCell),
      ...(blocker === undefined ? {} : { blocker }),
    };
  });
  const propose = accounts.flatMap((a) => (a.blocker === undefined ? [] : [a.accountId])).sort();
  const kept = [...(input.excluded ?? [])].filter((id) => id !== input.managementAccountId);
  return {
    homeRegion: input.homeRegion,
    accounts,
    propose,
    excludedAccountIds: [...new Set([...kept, ...propose])].sort(),
    excludedKnown: input.excluded !== undefined,
  };
}

/** The cdk.json context line to paste (the app excludes the management account by itself). */
export function cdkJsonSnippet(preflight: Preflight): string {
  return `"excludedAccountIds": ${JSON.stringify(preflight.excludedAccountIds)}`;
}
