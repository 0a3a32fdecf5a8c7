import { homeRegionProblems } from '../../../infra/rollout/region-support';
import { readPackExcludedAccounts } from '../../deployment/pack-scope';
import type { AwsClients } from '../../lib/aws/clients';
import { describeFailure } from '../../lib/aws/errors';
import { isActive, type OrgAccount } from '../../lib/aws/organization';
import type { CliIo } from '../../lib/terminal/io';
import { buildPreflight, type Preflight } from './preflight';
import { readAggregator, readInstances, readPackMembers } from './preflight-read';
import type { RoleRead } from './recorder';
import { readRecordersThroughRole } from './recorder-read';

/** Gathers the preflight's reads (progress on stderr) and hands them to the pure buildPreflight. */

export interface PreflightOptions {
  readonly homeRegion: string;
  readonly managementAccountId: string;
  readonly accounts: readonly OrgAccount[];
  /** Aggregator to read; default ours, else any organization aggregator covering the region. */
  readonly aggregator?: string;
  /** Role to read each account's recorders through, assumed with the main credentials. */
  readonly recorderRole?: string;
  readonly concurrency: number;
}

export interface PreflightRun {
  readonly preflight: Preflight;
  /** Problems with the home region or partition that no exclusion fixes. */
  readonly regionProblems: readonly string[];
  /** A listing that could not be read, named with its error. */
  readonly warnings: readonly string[];
}

/**
 * `clients` are the main (management) credentials; `admin` those that read the StackSet, the
 * pack and the aggregator (the delegated admin with --admin-profile, else the same).
 */
export async function runPreflight(
  io: CliIo,
  clients: AwsClients,
  admin: AwsClients,
  options: PreflightOptions,
): Promise<PreflightRun> {
  const inScope = options.accounts
    .filter((a) => isActive(a) && a.id !== options.managementAccountId)
    .map((a) => ({ id: a.id, name: a.name }));
  const [{ partition }, adminCaller] = await Promise.all([clients.callerIdentity(), admin.callerIdentity()]);
  const regionProblems = homeRegionProblems(options.homeRegion, partition, false);
  const regionProblem = homeRegionProblems(options.homeRegion, partition, true)[0];
  io.stderr(`rollout preflight: ${inScope.length} account(s) in scope, home region ${options.homeRegion}\n`);
  const callAs = adminCaller.accountId === options.managementAccountId ? 'SELF' : 'DELEGATED_ADMIN';
  const [instances, pack, aggregator, excluded] = await Promise.all([
    readInstances(admin, options.homeRegion, callAs),
    readPackMembers(admin.config),
    readAggregator(admin.config, options.homeRegion, options.aggregator),
    readPackExcludedAccounts(admin.config).then(
      (set) => ({ ok: true as const, set: set ?? new Set<string>() }),
      (error: unknown) => ({ ok: false as const, error: describeFailure(error) }),
    ),
  ]);
  io.stderr('rollout preflight: StackSet instances, pack members and aggregator read\n');
  const roles: Map<string, RoleRead> =
    options.recorderRole === undefined
      ? new Map()
      : await readRecordersThroughRole(
          io,
          clients,
          inScope,
          options.recorderRole,
          options.homeRegion,
          options.concurrency,
        );
  const warnings = [
    ...(instances.kind === 'failed' ? [`StackSet instances unreadable: ${instances.error}`] : []),
    ...(pack.kind === 'failed' ? [`pack members unreadable: ${pack.error}`] : []),
    ...(excluded.ok ? [] : [`the pack's ExcludedAccounts unreadable: ${excluded.error}`]),
  ];
  const preflight = buildPreflight({
    homeRegion: options.homeRegion,
    ...(regionProblem === undefined ? {} : { regionProblem }),
    accounts: inScope,
    excluded: excluded.ok ? excluded.set : undefined,
    managementAccountId: options.managementAccountId,
    instances,
    pack,
    aggregator,
    roles,
  });
  return { preflight, regionProblems, warnings };
}
