import { IamUnusedError } from './errors';

/**
 * The heartbeat: one SSM parameter per account that every evaluator run overwrites, so an
 * operator (`iam-unused status`) can tell a healthy rule from one that was switched off or
 * silenced. This module is the contract: the evaluator formats it, the CLI parses it. Contract
 * text: docs/exclusions-safety.md, "Heartbeat".
 */

/** Fixed path in every account (String, standard tier). */
export const HEARTBEAT_PARAMETER_NAME = '/iam-unused-user-cleanup/heartbeat';
/** Bumped on any incompatible change; parseHeartbeat refuses other versions. */
export const HEARTBEAT_SCHEMA = 1;
/** At most this many unmatched entries are listed (the count is always exact): stays under 4 KB. */
export const HEARTBEAT_MAX_LISTED_ENTRIES = 25;
/** Standard-tier parameter limit. */
export const HEARTBEAT_MAX_BYTES = 4096;

export interface Heartbeat {
  readonly schema: typeof HEARTBEAT_SCHEMA;
  /** When the run ended (ISO 8601). */
  readonly time: string;
  /** Whether the run evaluated every user and put every evaluation. */
  readonly ok: boolean;
  /** The last run with ok true: `time` itself when ok; carried over from the previous heartbeat when not. */
  readonly lastOkTime: string | null;
  readonly ruleName: string;
  /** 'per-user' | 'report-first', or null when the run failed before choosing. */
  readonly strategy: string | null;
  readonly usersEvaluated: number;
  readonly nonCompliant: number;
  readonly excluded: number;
  readonly exclusionParameterName: string;
  /** The parameter version the run read; null when it could not be read. */
  readonly exclusionParameterVersion: number | null;
  /** Entries that matched no user (at most HEARTBEAT_MAX_LISTED_ENTRIES of them). */
  readonly unmatchedEntries: readonly string[];
  /** The exact number of unmatched entries. */
  readonly unmatchedCount: number;
  /** Set when ok is false: the error's name and message. */
  readonly error: { readonly name: string; readonly message: string } | null;
}

/** A heartbeat value is not in the format this version of the tool writes. */
export class HeartbeatFormatError extends IamUnusedError {}

/** The JSON text stored in the parameter; lists are capped so it always fits the standard tier. */
export function formatHeartbeat(heartbeat: Heartbeat): string {
  const capped: Heartbeat = {
    ...heartbeat,
    unmatchedEntries: heartbeat.unmatchedEntries.slice(0, HEARTBEAT_MAX_LISTED_ENTRIES),
    error:
      heartbeat.error === null
        ? null
        : { name: heartbeat.error.name, message: heartbeat.error.message.slice(0, 1000) },
  };
  return JSON.stringify(capped);
}

const NUMBER_FIELDS = ['usersEvaluated', 'nonCompliant', 'excluded', 'unmatchedCount'] as const;

/** Parses a heartbeat value; HeartbeatFormatError names the first problem and the value. */
export function parseHeartbeat(text: string): Heartbeat {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new HeartbeatFormatError(
      `The heartbeat is not JSON: ${JSON.stringify(text.slice(0, 120))}. Something other than the evaluator wrote ${HEARTBEAT_PARAMETER_NAME}.`,
      { cause },
    );
  }
  const bad = (field: string, got: unknown): never => {
    throw new HeartbeatFormatError(
      `The heartbeat field ${field} is ${JSON.stringify(got)}; expected the format of schema ${HEARTBEAT_SCHEMA}. ` +
        `Something other than the evaluator wrote ${HEARTBEAT_PARAMETER_NAME}, or a newer evaluator did (update the CLI).`,
    );
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return bad('(document)', value);
  const v = value as Record<string, unknown>;
  if (v.schema !== HEARTBEAT_SCHEMA) bad('schema', v.schema);
  const isTime = (t: unknown) => typeof t === 'string' && !Number.isNaN(Date.parse(t));
  if (!isTime(v.time)) bad('time', v.time);
  if (typeof v.ok !== 'boolean') bad('ok', v.ok);
  if (v.lastOkTime !== null && !isTime(v.lastOkTime)) bad('lastOkTime', v.lastOkTime);
  if (typeof v.ruleName !== 'string') bad('ruleName', v.ruleName);
  if (v.strategy !== null && typeof v.strategy !== 'string') bad('strategy', v.strategy);
  for (const field of NUMBER_FIELDS) {
    if (!Number.isInteger(v[field]) || (v[field] as number) < 0) bad(field, v[field]);
  }
  if (typeof v.exclusionParameterName !== 'string') bad('exclusionParameterName', v.exclusionParameterName);
  if (v.exclusionParameterVersion !== null && !Number.isInteger(v.exclusionParameterVersion)) {
    bad('exclusionParameterVersion', v.exclusionParameterVersion);
  }
  if (!Array.isArray(v.unmatchedEntries) || !v.unmatchedEntries.every((e) => typeof e === 'string')) {
    bad('unmatchedEntries', v.unmatchedEntries);
  }
  const error = v.error as Record<string, unknown> | null;
  if (
    error !== null &&
    (typeof error !== 'object' || typeof error.name !== 'string' || typeof error.message !== 'string')
  ) {
    bad('error', v.error);
  }
  if (v.ok === false && error === null) bad('error', v.error);
  return v as unknown as Heartbeat;
}

/**
 * Whether the last successful run is older than `factor` times the rule's frequency (the CLI's
 * staleness flag uses factor 2, the same window as the missing-heartbeat alarm).
 */
export function isHeartbeatStale(heartbeat: Heartbeat, frequencyMs: number, now: Date, factor = 2): boolean {
  if (heartbeat.lastOkTime === null) return true;
  return now.getTime() - Date.parse(heartbeat.lastOkTime) > factor * frequencyMs;
}
