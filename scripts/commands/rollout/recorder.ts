/**
 * Pure: does an account's configuration recorder record AWS::IAM::User in the home region, and
 * how do we know. The runbook finds each user through Config's recorded AWS::IAM::User there
 * (docs/aws-behaviour.md), so "no" means the account cannot be remediated.
 */

export type RecorderAnswer = 'yes' | 'no' | 'unknown';

export interface RecorderVerdict {
  readonly answer: RecorderAnswer;
  /** The evidence, in words: which API said so, or why nothing could. */
  readonly how: string;
}

/** One customer-managed recorder as DescribeConfigurationRecorders(+Status) describe it. */
export interface RecorderFacts {
  readonly name: string;
  /** ALL_SUPPORTED_RESOURCE_TYPES, INCLUSION_BY_RESOURCE_TYPES, EXCLUSION_BY_RESOURCE_TYPES; absent on old recorders. */
  readonly strategy?: string;
  readonly allSupported?: boolean;
  readonly includeGlobalResourceTypes?: boolean;
  readonly resourceTypes: readonly string[];
  readonly excludedResourceTypes: readonly string[];
  readonly recording: boolean;
}

/** What reading the account's recorders through a role gave: the recorders, or the error. */
export type RoleRead =
  | { readonly kind: 'read'; readonly roleName: string; readonly recorders: readonly RecorderFacts[] }
  | { readonly kind: 'failed'; readonly roleName: string; readonly error: string };

/** What the organization aggregator holds for the home region. */
export type AggregatorRead =
  | {
      readonly kind: 'read';
      readonly name: string;
      /** Accounts with AWS::IAM::User recorded in the home region, with the count. */
      readonly iamUsers: ReadonlyMap<string, number>;
      /** Accounts with any resource recorded in the home region (their recorder works there). */
      readonly anyResource: ReadonlySet<string>;
    }
  | { readonly kind: 'none'; readonly why: string }
  | { readonly kind: 'failed'; readonly name: string; readonly error: string };

const IAM_USER = 'AWS::IAM::User';

/** Whether the recording group covers AWS::IAM::User (AWS Config API reference, RecordingGroup). */
export function recordsIamUsers(r: RecorderFacts): boolean {
  const strategy =
    r.strategy ?? (r.allSupported === true ? 'ALL_SUPPORTED_RESOURCE_TYPES' : 'INCLUSION_BY_RESOURCE_TYPES');
  switch (strategy) {
    case 'ALL_SUPPORTED_RESOURCE_TYPES':
      // IAM types are "global resource types": recorded with allSupported only when included.
      return r.includeGlobalResourceTypes === true;
    case 'EXCLUSION_BY_RESOURCE_TYPES':
      return !r.excludedResourceTypes.includes(IAM_USER);
    default:
      return r.resourceTypes.includes(IAM_USER);
  }
}

function fromRecorders(read: Extract<RoleRead, { kind: 'read' }>, region: string): RecorderVerdict {
  const how = `DescribeConfigurationRecorders through ${read.roleName}`;
  if (read.recorders.length === 0) {
    return { answer: 'no', how: `${how}: no configuration recorder in ${region}` };
  }
  const covering = read.recorders.filter(recordsIamUsers);
  if (covering.length === 0) {
    const names = read.recorders.map((r) => r.name).join(', ');
    return { answer: 'no', how: `${how}: recorder ${names} does not record ${IAM_USER}` };
  }
  const running = covering.find((r) => r.recording);
  if (running === undefined) {
    return {
      answer: 'no',
      how: `${how}: recorder ${covering.map((r) => r.name).join(', ')} records ${IAM_USER} but is stopped`,
    };
  }
  return { answer: 'yes', how: `${how}: recorder ${running.name} records ${IAM_USER} and is on` };
}

function fromAggregator(accountId: string, read: AggregatorRead, region: string): RecorderVerdict {
  switch (read.kind) {
    case 'none':
      return { answer: 'unknown', how: read.why };
    case 'failed':
      return { answer: 'unknown', how: `aggregator ${read.name} unreadable: ${read.error}` };
    case 'read': {
      const users = read.iamUsers.get(accountId) ?? 0;
      const source = `aggregator ${read.name}`;
      if (users > 0) return { answer: 'yes', how: `${source}: ${users} ${IAM_USER} recorded in ${region}` };
      if (read.anyResource.size === 0) {
        return { answer: 'unknown', how: `${source} holds nothing for ${region} yet (still collecting?)` };
      }
      if (read.anyResource.has(accountId)) {
        return {
          answer: 'unknown',
          how: `${source}: the recorder works in ${region} but no ${IAM_USER} is recorded (none exist, or it skips them); --recorder-role tells`,
        };
      }
      return {
        answer: 'no',
        how: `${source}: nothing recorded for this account in ${region} (no recorder there)`,
      };
    }
  }
}

/**
 * The verdict for one account. A recorder read through a role is the configuration itself and
 * wins; the aggregator shows only what was recorded, so "no users recorded" stays unknown.
 */
export function recorderVerdict(
  accountId: string,
  region: string,
  regionProblem: string | undefined,
  role: RoleRead | undefined,
  aggregator: AggregatorRead,
): RecorderVerdict {
  if (regionProblem !== undefined) return { answer: 'no', how: regionProblem };
  if (role?.kind === 'read') return fromRecorders(role, region);
  const verdict = fromAggregator(accountId, aggregator, region);
  if (role?.kind === 'failed' && verdict.answer === 'unknown') {
    return { answer: 'unknown', how: `${verdict.how}; ${role.roleName}: ${role.error}` };
  }
  return verdict;
}
