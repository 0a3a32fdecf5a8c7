import { createHash } from 'node:crypto';
import { buildPackTemplate, type PackOptions, packTemplateToYaml } from '../../conformance-pack/builder';
import { IamUnusedError } from '../../evaluator/errors';

/**
 * What the reconciler deploys, fixed at synth (spec.json next to the reconciler's code): the pack
 * options from the settings, the ExcludedAccounts, and the names it looks things up by. A settings
 * change is a new spec, so `cdk deploy` replaces the code and the deploy-time trigger re-puts.
 */
export interface ReconcilerSpec {
  readonly v: 1;
  readonly packName: string;
  readonly packOptions: PackOptions;
  readonly excludedAccounts: readonly string[];
  readonly stackSetName: string;
  readonly aggregatorName: string;
  readonly homeRegion: string;
  readonly alarmAfterHours: number;
}

export interface PackPut {
  readonly templateBody: string;
  readonly excludedAccounts: readonly string[];
  /** sha256 over both: equal hashes mean an identical put. */
  readonly specHash: string;
}

/** The put for this spec; paused forces remediation to manual (Automatic=false) everywhere. */
export function packPutFor(spec: ReconcilerSpec, paused: boolean): PackPut {
  const options: PackOptions = paused
    ? { ...spec.packOptions, remediation: { ...spec.packOptions.remediation, mode: 'manual' } }
    : spec.packOptions;
  const templateBody = packTemplateToYaml(buildPackTemplate(options));
  const excludedAccounts = [...new Set(spec.excludedAccounts)].sort();
  const specHash = createHash('sha256')
    .update(JSON.stringify({ templateBody, excludedAccounts }))
    .digest('hex');
  return { templateBody, excludedAccounts, specHash };
}

/** spec.json is missing or not what this code expects: the deployment is broken. */
export class InvalidReconcilerSpecError extends IamUnusedError {}

export function parseReconcilerSpec(text: string, source: string): ReconcilerSpec {
  let value: Partial<ReconcilerSpec> | undefined;
  try {
    value = JSON.parse(text) as Partial<ReconcilerSpec>;
  } catch (cause) {
    throw new InvalidReconcilerSpecError(`${source} is not JSON: redeploy the delegated-admin stack.`, {
      cause,
    });
  }
  if (
    value?.v !== 1 ||
    typeof value.packName !== 'string' ||
    typeof value.packOptions !== 'object' ||
    !Array.isArray(value.excludedAccounts) ||
    typeof value.alarmAfterHours !== 'number'
  ) {
    throw new InvalidReconcilerSpecError(
      `${source} is not a reconciler spec of version 1: redeploy the delegated-admin stack (\`npx cdk deploy\`).`,
    );
  }
  return value as ReconcilerSpec;
}
