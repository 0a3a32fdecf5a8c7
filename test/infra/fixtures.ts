import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPOSITORY_ROOT } from '../../infra/build-app';

/** The context shipped in cdk.json (the example settings that must synthesize offline). */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

export function tempOutdir(): string {
  return mkdtempSync(path.join(tmpdir(), 'iam-unused-test-'));
}

/** The roles allowed to edit exclusion lists in the test deployments (delegated admin 222222222222). */
export const TEST_EXCLUSIONS_ADMINS = {
  arns: ['arn:aws:iam::222222222222:role/IamUnusedOperators'],
  accountIds: ['222222222222'],
} as const;
