import type { SSMClient } from '@aws-sdk/client-ssm';
import { awsClients } from '../../lib/aws/clients';
import { type AccountTarget, forEachAccount, resolveTargets, type TargetScope } from '../../lib/aws/targets';
import type { CliIo } from '../../lib/terminal/io';
import { awsOptionsOf } from '../../lib/terminal/options';
import { diffEntries, encodeEntries, sizeProblem } from './plan';
import { type ExclusionOptions, orNotDeployed, parameterProblem, ssmFor } from './read';
import { collect, type ExclusionResult, failedRow } from './result';
import { ExclusionConflictError, readExclusions, type StoredExclusions, writeExclusions } from './store';

/** add, remove and sync: read each account's list, plan the change, and write it (or say what would change). */

/** What the account's list should become, given what is there now (restore reads the history for it). */
export type DesiredFn = (
  current: StoredExclusions,
  target: AccountTarget,
  ssm: SSMClient,
) => readonly string[] | Promise<readonly string[]>;

/** Why this account must not be changed as planned (a saved plan made against another version), or undefined. */
export type RefuseFn = (current: StoredExclusions, target: AccountTarget) => string | undefined;

export interface ChangeRun {
  readonly options: ExclusionOptions;
  readonly label: string;
  readonly apply: boolean;
  readonly advancedTier: boolean;
  /** add/remove keep hand-written invalid entries out of their merge; sync replaces them. */
  readonly refuseInvalidCurrent: boolean;
  readonly desired: DesiredFn;
  readonly refuse?: RefuseFn;
}

export async function runChanges(io: CliIo, run: ChangeRun, scope: TargetScope): Promise<ExclusionResult[]> {
  const { options } = run;
  const clients = await awsClients(awsOptionsOf(options));
  const { targets, skipped } = await resolveTargets(clients, options.mode, scope);
  const results = await forEachAccount(io, run.label, targets, options.concurrency, (target) =>
    orNotDeployed(target, async () => {
      const problem = await parameterProblem(clients, target, options.parameterName);
      if (problem) return failedRow(target, problem);
      const ssm = await ssmFor(clients, target);
      const current = await readExclusions(ssm, options.parameterName);
      const base = { accountId: target.accountId, accountName: target.accountName };
      if (current.unusable) return failedRow(target, current.unusable, current.version);
      if (run.refuseInvalidCurrent && current.invalid.length > 0) {
        return {
          ...base,
          status: 'failed',
          entries: current.entries,
          added: [],
          removed: [],
          ...(current.version === undefined ? {} : { version: current.version }),
          message: `the parameter holds entries the evaluator refuses (${current.invalid.join(', ')}); fix them with "exclusions sync" first`,
        } satisfies ExclusionResult;
      }
      const refusal = run.refuse?.(current, target);
      if (refusal) return { ...failedRow(target, refusal, current.version), status: 'outdated' };
      const diff = diffEntries(current.entries, await run.desired(current, target, ssm));
      const value = encodeEntries(diff.next);
      const unchanged = {
        ...base,
        entries: diff.next,
        added: diff.added,
        removed: diff.removed,
        ...(current.version === undefined ? {} : { version: current.version }),
      };
      // A missing parameter is created even for an empty list: the evaluator refuses to run without it.
      if (!diff.changed && current.exists)
        return { ...unchanged, status: 'unchanged' } satisfies ExclusionResult;
      const tooBig = sizeProblem(value, run.advancedTier);
      if (tooBig) return { ...unchanged, status: 'failed', message: tooBig } satisfies ExclusionResult;
      if (!run.apply)
        return {
          ...unchanged,
          status: current.exists ? 'would-update' : 'would-create',
        } satisfies ExclusionResult;
      try {
        const written = await writeExclusions(ssm, {
          parameterName: options.parameterName,
          basis: current,
          value,
          advancedTier: run.advancedTier,
        });
        const version = written.version === undefined ? {} : { version: written.version };
        if (written.overwritten.length > 0)
          return {
            ...unchanged,
            status: 'overwrote',
            ...version,
            message:
              `written as version ${written.version}, replacing version ${written.overwritten.join(', ')} that someone else wrote meanwhile; ` +
              `compare with: aws ssm get-parameter-history --name ${options.parameterName}`,
          } satisfies ExclusionResult;
        return {
          ...unchanged,
          status: current.exists ? 'updated' : 'created',
          ...version,
        } satisfies ExclusionResult;
      } catch (error) {
        if (error instanceof ExclusionConflictError)
          return { ...unchanged, status: 'conflict', message: error.message } satisfies ExclusionResult;
        throw error;
      }
    }),
  );
  return collect(results, skipped);
}
