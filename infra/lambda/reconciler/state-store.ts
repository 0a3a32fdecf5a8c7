import {
  DeleteParametersCommand,
  PutParameterCommand,
  paginateGetParametersByPath,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import pLimit from 'p-limit';
import { errorName as awsErrorName } from '../../../evaluator/error-text';
import { IamUnusedError } from '../../../evaluator/errors';
import {
  ACCOUNT_STATE_PATH,
  type AccountRecord,
  APPLIED_PARAMETER_NAME,
  type AppliedRecord,
  accountStateParameterName,
  PAUSE_PARAMETER_NAME,
  parseAccountRecord,
  parseAppliedRecord,
  ROLLOUT_PARAMETER_PATH,
} from '../../rollout/contract';

/**
 * The reconciler's memory in SSM Parameter Store (delegated-admin account): one free standard
 * parameter per uncovered account, so a healthy organization is one GetParametersByPath call.
 * Cheapest adequate store: no table, bucket or client beyond SSM, readable by the CLI as is.
 */

export class RolloutStateError extends IamUnusedError {}

export interface RolloutState {
  readonly records: Map<string, AccountRecord>;
  readonly applied: AppliedRecord | undefined;
  /** Raw pause parameter value; undefined when absent. */
  readonly pauseText: string | undefined;
}

export async function readRolloutState(ssm: SSMClient): Promise<RolloutState> {
  const records = new Map<string, AccountRecord>();
  let applied: AppliedRecord | undefined;
  let pauseText: string | undefined;
  try {
    const pages = paginateGetParametersByPath(
      { client: ssm, pageSize: 10 },
      { Path: ROLLOUT_PARAMETER_PATH, Recursive: true },
    );
    for await (const page of pages) {
      for (const p of page.Parameters ?? []) {
        if (p.Name === undefined || p.Value === undefined) continue;
        if (p.Name === PAUSE_PARAMETER_NAME) pauseText = p.Value;
        else if (p.Name === APPLIED_PARAMETER_NAME) applied = parseAppliedRecord(p.Name, p.Value);
        else if (p.Name.startsWith(`${ACCOUNT_STATE_PATH}/`)) {
          const record = parseAccountRecord(p.Name, p.Value);
          records.set(record.accountId, record);
        }
      }
    }
  } catch (cause) {
    if (cause instanceof IamUnusedError) throw cause;
    throw new RolloutStateError(
      `GetParametersByPath ${ROLLOUT_PARAMETER_PATH} failed (${awsErrorName(cause)}): the reconciler's role needs ` +
        'ssm:GetParametersByPath on that path; throttling clears by the next run.',
      { cause },
    );
  }
  return { records, applied, pauseText };
}

/** Writes the records that changed and deletes those no longer needed (10 per DeleteParameters). */
export async function writeRecords(
  ssm: SSMClient,
  before: ReadonlyMap<string, AccountRecord>,
  after: ReadonlyMap<string, AccountRecord>,
): Promise<{ written: number; deleted: number }> {
  const changed = [...after.values()].filter(
    (r) => JSON.stringify(before.get(r.accountId)) !== JSON.stringify(r),
  );
  const gone = [...before.keys()].filter((id) => !after.has(id)).map(accountStateParameterName);
  const limit = pLimit(3);
  const results = await Promise.allSettled([
    ...changed.map((r) =>
      limit(() => putJson(ssm, accountStateParameterName(r.accountId), r, `account ${r.accountId}`)),
    ),
    ...chunks(gone, 10).map((names) => limit(() => ssm.send(new DeleteParametersCommand({ Names: names })))),
  ]);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    // Each record stands alone: the ones written are right, the others are redone next run.
    throw new RolloutStateError(
      `${failed.length} of ${results.length} writes under ${ACCOUNT_STATE_PATH} failed (${failed
        .map((f) => awsErrorName(f.reason))
        .join(
          ', ',
        )}): the reconciler's role needs ssm:PutParameter and ssm:DeleteParameters there; the next run rewrites them.`,
      { cause: failed[0]?.reason },
    );
  }
  return { written: changed.length, deleted: gone.length };
}

export async function writeApplied(ssm: SSMClient, applied: AppliedRecord): Promise<void> {
  await putJson(ssm, APPLIED_PARAMETER_NAME, applied, 'the applied pack');
}

/** Deletes every rollout parameter (uninstall), the pause included. */
export async function deleteRolloutState(ssm: SSMClient): Promise<number> {
  const state = await readRolloutState(ssm);
  const names = [
    ...[...state.records.keys()].map(accountStateParameterName),
    ...(state.applied !== undefined ? [APPLIED_PARAMETER_NAME] : []),
    ...(state.pauseText !== undefined ? [PAUSE_PARAMETER_NAME] : []),
  ];
  for (const batch of chunks(names, 10)) await ssm.send(new DeleteParametersCommand({ Names: batch }));
  return names.length;
}

async function putJson(ssm: SSMClient, name: string, value: unknown, what: string): Promise<void> {
  try {
    await ssm.send(
      new PutParameterCommand({ Name: name, Value: JSON.stringify(value), Type: 'String', Overwrite: true }),
    );
  } catch (cause) {
    throw new RolloutStateError(`PutParameter ${name} (${what}) failed (${awsErrorName(cause)}).`, { cause });
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
