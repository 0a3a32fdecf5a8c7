/**
 * An in-memory organization with the semantics the reconciler must survive (docs/aws-behaviour.md#organization-conformance-packs): StackSet auto-deployment with delays, an
 * organization pack that fails in a member while its evaluator or recorder is missing, Config's own
 * retry only for a missing recorder (7 hours), accounts joining over time. Time is in minutes.
 */

export interface SimAccount {
  readonly id: string;
  readonly joinAt: number;
  readonly excluded: boolean;
  /** When the account gets a configuration recorder; undefined = never. */
  readonly recorderAt: number | undefined;
  /** Whether that recorder records AWS::IAM::User in the home region. */
  readonly recordsIam: boolean;
  /** When its StackSet instance (the evaluator) becomes CURRENT. */
  readonly instanceCurrentAt: number;
  /** Delay after joining until Config deploys an existing organization pack to it. */
  readonly packAutoDeployDelay: number;
  /** How long a pack deployment to this member takes. */
  readonly deployMinutes: number;
}

interface MemberPack {
  status: string;
  errorCode: string | undefined;
  /** A deployment in progress completes at this time. */
  completesAt: number | undefined;
  succeededBefore: boolean;
  /** Config's own retry for a missing recorder runs until this time. */
  recorderRetryUntil: number | undefined;
  nextRecorderRetry: number | undefined;
}

export const CONFIG_RECORDER_RETRY_MINUTES = 7 * 60;
/** The aggregator lists an account's recorded IAM users this long after its recorder starts. */
export const AGGREGATOR_LAG_MINUTES = 15;

export class SimOrganization {
  now = 0;
  packExists = false;
  private excluded = new Set<string>();
  readonly members = new Map<string, MemberPack>();
  readonly coveredAt = new Map<string, number>();
  readonly firstPutAt: { value: number | undefined } = { value: undefined };

  constructor(readonly accounts: ReadonlyMap<string, SimAccount>) {}

  joined(id: string, at = this.now): boolean {
    const a = this.accounts.get(id);
    return a !== undefined && a.joinAt <= at;
  }

  /** Runs every deployment, Config retry and auto-deployment due up to `t`, in time order. */
  advanceTo(t: number): void {
    for (let step = this.now; step <= t; step += 1) {
      this.now = step;
      for (const [id, m] of this.members) {
        if (m.completesAt !== undefined && m.completesAt <= step) this.resolve(id, m, step);
        else if (m.nextRecorderRetry !== undefined && m.nextRecorderRetry <= step) {
          m.nextRecorderRetry = step + 60;
          if (m.recorderRetryUntil !== undefined && step > m.recorderRetryUntil)
            m.nextRecorderRetry = undefined;
          else if (this.hasRecorder(id, step)) this.resolve(id, m, step);
        }
      }
      if (!this.packExists) continue;
      for (const a of this.accounts.values()) {
        if (this.excluded.has(a.id) || this.members.has(a.id)) continue;
        if (a.joinAt + a.packAutoDeployDelay === step) this.startDeploy(a.id, step);
      }
    }
  }

  /** PutOrganizationConformancePack: every joined, non-excluded member deploys again. */
  put(excludedAccounts: readonly string[]): void {
    this.packExists = true;
    this.firstPutAt.value ??= this.now;
    this.excluded = new Set(excludedAccounts);
    for (const id of this.excluded) this.members.delete(id);
    for (const a of this.accounts.values()) {
      if (this.joined(a.id) && !this.excluded.has(a.id)) this.startDeploy(a.id, this.now);
    }
  }

  instanceStatus(id: string): 'CURRENT' | 'OUTDATED' | 'MISSING' {
    const a = this.accounts.get(id);
    if (a === undefined || !this.joined(id)) return 'MISSING';
    return a.instanceCurrentAt <= this.now ? 'CURRENT' : 'OUTDATED';
  }

  iamUsersRecorded(id: string): boolean {
    const a = this.accounts.get(id);
    return (
      a !== undefined &&
      this.joined(id) &&
      a.recordsIam &&
      a.recorderAt !== undefined &&
      a.recorderAt + AGGREGATOR_LAG_MINUTES <= this.now
    );
  }

  memberRows(): { accountId: string; status: string; errorCode: string | undefined }[] {
    return [...this.members.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([accountId, m]) => ({ accountId, status: m.status, errorCode: m.errorCode }));
  }

  private hasRecorder(id: string, at: number): boolean {
    const r = this.accounts.get(id)?.recorderAt;
    return r !== undefined && r <= at;
  }

  private startDeploy(id: string, at: number): void {
    const a = this.accounts.get(id);
    if (a === undefined) return;
    const prior = this.members.get(id);
    const succeededBefore = prior?.succeededBefore ?? false;
    this.members.set(id, {
      status: succeededBefore ? 'UPDATE_IN_PROGRESS' : 'CREATE_IN_PROGRESS',
      errorCode: undefined,
      completesAt: at + a.deployMinutes,
      succeededBefore,
      recorderRetryUntil: undefined,
      nextRecorderRetry: undefined,
    });
  }

  private resolve(id: string, m: MemberPack, at: number): void {
    const a = this.accounts.get(id);
    if (a === undefined) return;
    const verb = m.succeededBefore ? 'UPDATE' : 'CREATE';
    m.completesAt = undefined;
    if (!this.hasRecorder(id, at)) {
      m.status = `${verb}_FAILED`;
      m.errorCode = 'NoAvailableConfigurationRecorderException';
      // Config retries this failure, and only this one, for 7 hours.
      m.recorderRetryUntil ??= at + CONFIG_RECORDER_RETRY_MINUTES;
      m.nextRecorderRetry = at + 60;
    } else if (a.instanceCurrentAt > at) {
      m.status = `${verb}_FAILED`;
      m.errorCode = 'InsufficientPermissionsException';
      m.nextRecorderRetry = undefined;
    } else {
      m.status = `${verb}_SUCCESSFUL`;
      m.errorCode = undefined;
      m.succeededBefore = true;
      m.nextRecorderRetry = undefined;
      if (!this.coveredAt.has(id)) this.coveredAt.set(id, at);
    }
  }
}
