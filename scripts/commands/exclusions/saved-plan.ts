import { readFile, writeFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { UsageError } from '../../lib/terminal/errors';
import type { ExclusionResult } from './result';

/**
 * A saved `exclusions sync` plan: for each account that would change, the list to write and the
 * parameter Version the plan was computed against. `sync --apply --plan FILE` writes exactly
 * these lists, and only where the parameter is still at that version, so an entry that `add`
 * wrote after the review can never be removed by applying an older reviewed plan.
 */

export const PLAN_KIND = 'iam-unused-exclusions-plan';
export const PLAN_SCHEMA = 1;

export interface PlannedAccount {
  readonly accountId: string;
  readonly accountName: string;
  /** The parameter Version the plan was computed against; null when the parameter did not exist. */
  readonly basisVersion: number | null;
  /** The whole list to write. */
  readonly entries: string[];
  readonly added: string[];
  readonly removed: string[];
}

export interface SavedPlan {
  readonly kind: typeof PLAN_KIND;
  readonly schema: typeof PLAN_SCHEMA;
  readonly createdAt: string;
  /** The desired-state file the plan came from (for the reviewer). */
  readonly source: string;
  readonly parameterName: string;
  readonly advancedTier: boolean;
  readonly accounts: PlannedAccount[];
}

const names = { type: 'array', items: { type: 'string' } } as const;

// A plain schema: ajv's JSONSchemaType cannot express a required `number | null`.
const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'schema', 'createdAt', 'source', 'parameterName', 'advancedTier', 'accounts'],
  properties: {
    kind: { type: 'string', const: PLAN_KIND },
    schema: { type: 'number', const: PLAN_SCHEMA },
    createdAt: { type: 'string' },
    source: { type: 'string' },
    parameterName: { type: 'string' },
    advancedTier: { type: 'boolean' },
    accounts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['accountId', 'accountName', 'basisVersion', 'entries', 'added', 'removed'],
        properties: {
          accountId: { type: 'string', pattern: '^\\d{12}$' },
          accountName: { type: 'string' },
          basisVersion: { type: 'integer', minimum: 1, nullable: true },
          entries: names,
          added: names,
          removed: names,
        },
      },
    },
  },
} as const;

const validate = new Ajv().compile<SavedPlan>(schema);

/** The plan of the accounts that would change; failed or unchanged accounts are not in it. */
export function planOf(
  results: readonly ExclusionResult[],
  meta: { source: string; parameterName: string; advancedTier: boolean; now: Date },
): SavedPlan {
  return {
    kind: PLAN_KIND,
    schema: PLAN_SCHEMA,
    createdAt: meta.now.toISOString(),
    source: meta.source,
    parameterName: meta.parameterName,
    advancedTier: meta.advancedTier,
    accounts: results
      .filter((r) => r.status === 'would-create' || r.status === 'would-update')
      .map((r) => ({
        accountId: r.accountId,
        accountName: r.accountName,
        basisVersion: r.status === 'would-create' ? null : (r.version ?? null),
        entries: [...r.entries],
        added: [...r.added],
        removed: [...r.removed],
      })),
  };
}

/** Parses a saved plan; UsageError names the file and the first problem. */
export function parsePlan(text: string, source: string): SavedPlan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new UsageError(`--plan ${source} is not JSON (${(cause as Error).message}).`, { cause });
  }
  if (!validate(value)) {
    const first = validate.errors?.[0];
    throw new UsageError(
      `--plan ${source} is not a plan written by "exclusions sync --plan-out": ${first?.instancePath || '(document)'} ${first?.message ?? ''}.`,
    );
  }
  return value;
}

export async function readPlanFile(path: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new UsageError(`cannot read --plan ${path}: ${(cause as Error).message}`, { cause });
  }
  return parsePlan(text, path);
}

export async function writePlanFile(path: string, plan: SavedPlan): Promise<void> {
  await writeFile(path, `${JSON.stringify(plan, null, 2)}\n`, 'utf8');
}

/** Why an account's parameter no longer matches the plan (RefuseFn), or undefined. */
export function planOutdated(
  planned: PlannedAccount,
  current: { readonly exists: boolean; readonly version?: number },
  planPath: string,
): string | undefined {
  const now = current.exists ? (current.version ?? null) : null;
  if (now === planned.basisVersion) return undefined;
  const v = (n: number | null) => (n === null ? 'no parameter' : `version ${n}`);
  return (
    `the parameter changed since the plan (planned against ${v(planned.basisVersion)}, now ${v(now)}); nothing written here. ` +
    `Re-run "exclusions sync --file <desired-state file> --plan-out ${planPath}" to re-plan, review, then apply the new plan.`
  );
}
