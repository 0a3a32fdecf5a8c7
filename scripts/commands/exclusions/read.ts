import type { SSMClient } from '@aws-sdk/client-ssm';
import { IamUnusedError } from '../../../evaluator/errors';
import { findOurRules, parameterMismatch } from '../../deployment/our-rules';
import { AssumeRoleError, type AwsClients, awsClients } from '../../lib/aws/clients';
import { MANAGEMENT_NOT_COVERED } from '../../lib/aws/organization';
import { type AccountTarget, forEachAccount, resolveTargets, type TargetScope } from '../../lib/aws/targets';
import type { CliIo } from '../../lib/terminal/io';
import { awsOptionsOf, type Mode } from '../../lib/terminal/options';
import { collect, type ExclusionResult, failedRow } from './result';
import { readExclusions } from './store';

/** Reading each account's exclusion list: which SSM client, which checks first, the list itself. */

export interface ExclusionOptions {
  profile?: string;
  region?: string;
  mode: Mode;
  output: 'table' | 'json';
  account?: string[];
  parameterName: string;
  concurrency: number;
}

/** The management account has no exclusions role unless the account stack is deployed there. */
class ManagementNotDeployed extends IamUnusedError {}

export async function ssmFor(clients: AwsClients, target: AccountTarget): Promise<SSMClient> {
  if (target.current) return clients.ssm;
  try {
    return (await clients.member(target.accountId)).ssm;
  } catch (error) {
    if (error instanceof AssumeRoleError && target.isManagement && !target.explicit)
      throw new ManagementNotDeployed(
        `${MANAGEMENT_NOT_COVERED}; manage it with --mode account and its own credentials`,
        {
          cause: error,
        },
      );
    throw error;
  }
}

/** Turns the management account's missing role into its own row, which is not a failure. */
export async function orNotDeployed(
  target: AccountTarget,
  work: () => Promise<ExclusionResult>,
): Promise<ExclusionResult> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ManagementNotDeployed)) throw error;
    return {
      accountId: target.accountId,
      accountName: target.accountName,
      status: 'not-deployed',
      entries: [],
      added: [],
      removed: [],
      message: error.message,
    };
  }
}

/**
 * Account mode uses the operator's own credentials, which IAM does not limit to the deployed
 * parameter (the exclusions role is): check that the rule here reads `parameterName`.
 */
export async function parameterProblem(
  clients: AwsClients,
  target: AccountTarget,
  parameterName: string,
): Promise<string | undefined> {
  if (!target.current) return undefined;
  return parameterMismatch(await findOurRules(clients.config), parameterName);
}

/** `exclusions list`: each target account's list as stored, with what the evaluator would refuse. */
export async function listExclusions(
  io: CliIo,
  options: ExclusionOptions,
  scope: TargetScope,
): Promise<ExclusionResult[]> {
  const clients = awsClients(awsOptionsOf(options));
  const { targets, skipped } = await resolveTargets(clients, options.mode, scope);
  const results = await forEachAccount(io, 'exclusions list', targets, options.concurrency, (target) =>
    orNotDeployed(target, async () => {
      const problem = await parameterProblem(clients, target, options.parameterName);
      if (problem) return failedRow(target, problem);
      const current = await readExclusions(await ssmFor(clients, target), options.parameterName);
      if (current.unusable) return failedRow(target, current.unusable, current.version);
      return {
        accountId: target.accountId,
        accountName: target.accountName,
        status: current.invalid.length > 0 ? 'failed' : 'listed',
        entries: current.entries,
        added: [],
        removed: [],
        ...(current.version === undefined ? {} : { version: current.version }),
        ...(current.invalid.length > 0
          ? {
              message: `entries the evaluator refuses: ${current.invalid.join(', ')} (the rule fails closed)`,
            }
          : {}),
      } satisfies ExclusionResult;
    }),
  );
  return collect(results, skipped);
}
