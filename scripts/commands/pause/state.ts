import { PutParameterCommand, paginateGetParametersByPath, type SSMClient } from '@aws-sdk/client-ssm';
import { IamUnusedError } from '../../../evaluator/errors';
import {
  ACCOUNT_STATE_PATH,
  type AccountRecord,
  APPLIED_PARAMETER_NAME,
  type AppliedRecord,
  PAUSE_PARAMETER_NAME,
  type PauseRecord,
  parseAccountRecord,
  parseAppliedRecord,
  parsePauseRecord,
  ROLLOUT_PARAMETER_PATH,
} from '../../../infra/rollout/contract';
import { describeFailure } from '../../lib/aws/errors';
import { allItems, pagesOf } from '../../lib/aws/pages';

/**
 * The reconciler's state as the CLI reads it (infra/rollout/contract.ts, docs/rollout.md): every
 * parameter under one path in the delegated-admin account's home region, one listing for all.
 */

/** The rollout parameters could not be listed: nothing about pause or coverage is known. */
export class RolloutStateReadError extends IamUnusedError {}
/** The pause parameter could not be written: the pause (or resume) did not happen. */
export class PauseWriteError extends IamUnusedError {}

export interface RolloutView {
  /** The pause as the reconciler reads it (anything unreadable counts as paused). */
  readonly pause: PauseRecord;
  /** Whether the pause parameter exists at all. */
  readonly pauseWritten: boolean;
  /** Why the pause parameter counts as paused although it does not say so. */
  readonly pauseWarning?: string;
  /** What the reconciler's last accepted put carried; undefined before its first put. */
  readonly applied?: AppliedRecord;
  /** Accounts the reconciler reports not (fully) covered, by account id. */
  readonly records: readonly AccountRecord[];
}

const FIX =
  "run it with the delegated-admin account's credentials (--profile) in the home region (--region); " +
  `the caller needs ssm:GetParametersByPath on ${ROLLOUT_PARAMETER_PATH}`;

export async function readRolloutView(ssm: SSMClient): Promise<RolloutView> {
  let parameters: { Name?: string; Value?: string }[];
  try {
    parameters = await allItems(
      paginateGetParametersByPath(pagesOf(ssm), { Path: ROLLOUT_PARAMETER_PATH, Recursive: true }),
      (p) => p.Parameters,
    );
  } catch (cause) {
    throw listingFailed(cause);
  }
  let pauseText: string | undefined;
  let applied: AppliedRecord | undefined;
  const records: AccountRecord[] = [];
  for (const p of parameters) {
    if (p.Name === undefined || p.Value === undefined) continue;
    if (p.Name === PAUSE_PARAMETER_NAME) pauseText = p.Value;
    else if (p.Name === APPLIED_PARAMETER_NAME) applied = parseAppliedRecord(p.Name, p.Value);
    else if (p.Name.startsWith(`${ACCOUNT_STATE_PATH}/`)) records.push(parseAccountRecord(p.Name, p.Value));
  }
  const { pause, warning } = parsePauseRecord(pauseText);
  return {
    pause,
    pauseWritten: pauseText !== undefined,
    ...(warning === undefined ? {} : { pauseWarning: warning }),
    ...(applied === undefined ? {} : { applied }),
    records: records.sort((a, b) => a.accountId.localeCompare(b.accountId)),
  };
}

function listingFailed(cause: unknown): RolloutStateReadError {
  return new RolloutStateReadError(
    `Cannot list the rollout state under ${ROLLOUT_PARAMETER_PATH} (GetParametersByPath: ${describeFailure(cause)}): ${FIX}.`,
    { cause },
  );
}

/** Writes the pause parameter (String, overwritten); its change event wakes the reconciler. */
export async function writePause(ssm: SSMClient, record: PauseRecord): Promise<number | undefined> {
  try {
    const out = await ssm.send(
      new PutParameterCommand({
        Name: PAUSE_PARAMETER_NAME,
        Value: JSON.stringify(record),
        Type: 'String',
        Overwrite: true,
      }),
    );
    return out.Version;
  } catch (cause) {
    throw new PauseWriteError(
      `Cannot write ${PAUSE_PARAMETER_NAME} (PutParameter: ${describeFailure(cause)}): nothing changed. ` +
        "Run it with the delegated-admin account's credentials in the home region; the caller needs " +
        `ssm:PutParameter on ${PAUSE_PARAMETER_NAME}.`,
      { cause },
    );
  }
}
