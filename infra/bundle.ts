import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildResult, buildSync } from 'esbuild';
import { errorMessage } from '../evaluator/error-text';
import { IamUnusedError } from '../evaluator/errors';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Lambda entry points bundled into inline code (file index.js, export `handler`). */
export const LAMBDA_ENTRIES = {
  evaluator: path.join(ROOT, 'evaluator', 'index.ts'),
  check: path.join(ROOT, 'evaluator', 'check', 'index.ts'),
  reevaluate: path.join(ROOT, 'infra', 'lambda', 'reevaluate-queue.ts'),
} as const;
export type LambdaEntry = keyof typeof LAMBDA_ENTRIES;

/** Node.js major of the Lambda runtime (Runtime.NODEJS_24_X): esbuild emits syntax it supports. */
export const LAMBDA_NODE_TARGET = 'node24';

const cache = new Map<LambdaEntry, string>();

/**
 * One minified CommonJS file per entry, the runtime's AWS SDK v3 left external (it ships with
 * the Node.js runtime), so the code fits inline in the template and needs no asset bucket in
 * the member accounts. Cached: an app or a test file bundles each entry once.
 */
export function bundleLambda(entry: LambdaEntry): string {
  const cached = cache.get(entry);
  if (cached !== undefined) return cached;
  let result: BuildResult<{ write: false }>;
  try {
    result = buildSync({
      entryPoints: [LAMBDA_ENTRIES[entry]],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: LAMBDA_NODE_TARGET,
      external: ['@aws-sdk/*'],
      minify: true,
      legalComments: 'none',
      write: false,
      outfile: 'index.js',
      logLevel: 'silent',
    });
  } catch (cause) {
    throw new LambdaBundleError(
      `Bundling ${LAMBDA_ENTRIES[entry]} failed: ${errorMessage(cause)}. ` +
        'Fix the TypeScript error above (`npx tsc --noEmit`), then synthesize again.',
      { cause },
    );
  }
  const output = result.outputFiles[0];
  if (output === undefined) {
    throw new LambdaBundleError(
      `esbuild produced no output for ${LAMBDA_ENTRIES[entry]}; report this as a bug.`,
    );
  }
  cache.set(entry, output.text);
  return output.text;
}

/** esbuild could not bundle a Lambda entry point for the CDK app (inline code). */
export class LambdaBundleError extends IamUnusedError {}
