import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXCLUSION_PARAMETER_NAME } from '../../conformance-pack/names';
import { REPOSITORY_ROOT } from '../../infra/build-app';
import { bundleLambda, type LambdaEntry } from '../../infra/bundle';
import { synthesizeMemberTemplate } from '../../infra/member-template';
import { remediationDocumentContent } from '../../infra/remediation-document';
import { TEST_EXCLUSIONS_ADMINS, tempOutdir } from './fixtures';

/**
 * Ties each member role to the code that uses it: a role may hold an action only if that code
 * sends the operation, and the evaluator and re-evaluate roles must hold every operation their
 * code sends. Adding an SDK call without its permission (or keeping a permission nobody uses)
 * fails here, before it fails in production.
 */

/** AWS SDK v3 operations a set of source files sends (`new XCommand(` and `paginateX(`). */
function operationsIn(files: readonly string[]): Set<string> {
  const ops = new Set<string>();
  for (const file of files) {
    const text = readFileSync(path.join(REPOSITORY_ROOT, file), 'utf8');
    for (const m of text.matchAll(/\bnew ([A-Z][A-Za-z]+)Command\(|\bpaginate([A-Z][A-Za-z]+)\(/g)) {
      ops.add((m[1] ?? m[2]) as string);
    }
  }
  return ops;
}

function tsFilesUnder(dir: string): string[] {
  return readdirSync(path.join(REPOSITORY_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON
type Json = any;
let roles: Record<string, Json>;

/** The operations a role allows, outside its own log writing ("iam:ListUsers" → "ListUsers"). */
function allowedOperations(logicalIdPrefix: string): Set<string> {
  const found = Object.entries(roles).filter(([id]) => id.startsWith(logicalIdPrefix));
  expect(found, logicalIdPrefix).toHaveLength(1);
  const role = (found[0] as [string, Json])[1];
  const actions: string[] = role.Properties.Policies.flatMap((p: Json) =>
    p.PolicyDocument.Statement.flatMap((s: Json) => [s.Action].flat()),
  );
  return new Set(actions.filter((a) => !a.startsWith('logs:')).map((a) => a.slice(a.indexOf(':') + 1)));
}

beforeAll(() => {
  const member = synthesizeMemberTemplate(
    {
      exclusionParameterName: DEFAULT_EXCLUSION_PARAMETER_NAME,
      logRetention: RetentionDays.ONE_YEAR,
      exclusionsAdmins: TEST_EXCLUSIONS_ADMINS,
      evaluationFrequency: 'TwentyFour_Hours',
    },
    tempOutdir(),
  );
  roles = Object.fromEntries(
    Object.entries(member.template.Resources as Record<string, Json>).filter(
      ([, r]) => r.Type === 'AWS::IAM::Role',
    ),
  );
});

/**
 * AWS SDK operations a Lambda bundle sends: the inline code itself, after tree-shaking, so a
 * function is held to exactly what it ships (the evaluator and the check share source files but
 * not calls).
 */
function operationsInBundle(entry: LambdaEntry): Set<string> {
  const ops = new Set<string>();
  for (const m of bundleLambda(entry).matchAll(
    /\.([A-Z][A-Za-z]+)Command\(|\.paginate([A-Z][A-Za-z]+)\)?\(/g,
  )) {
    ops.add((m[1] ?? m[2]) as string);
  }
  return ops;
}

/** Actions as written ("iam:PassRole"), outside log writing. */
function allowedActions(logicalIdPrefix: string): string[] {
  const role = Object.entries(roles).find(([id]) => id.startsWith(logicalIdPrefix))?.[1];
  return (role.Properties.Policies as Json[])
    .flatMap((p) => p.PolicyDocument.Statement.flatMap((s: Json) => [s.Action].flat()))
    .filter((a: string) => !a.startsWith('logs:'))
    .sort();
}

describe('member roles hold exactly what their code sends', () => {
  it('evaluator role = the operations of evaluator/', () => {
    expect([...allowedOperations('MemberEvaluatorRole')].sort()).toEqual(
      [...operationsIn(tsFilesUnder('evaluator').filter((f) => !f.startsWith('evaluator/check/')))].sort(),
    );
  });

  it('evaluator role = the operations its bundle sends', () => {
    expect([...allowedOperations('MemberEvaluatorRole')].sort()).toEqual(
      [...operationsInBundle('evaluator')].sort(),
    );
  });

  it('check role = the operations of the check bundle (evaluator/check/ and the reads it reuses)', () => {
    expect([...allowedOperations('MemberCheckRole')].sort()).toEqual([...operationsInBundle('check')].sort());
    for (const op of operationsIn(tsFilesUnder('evaluator/check')))
      expect(operationsInBundle('check')).toContain(op);
  });

  it('re-evaluate role = the operations of infra/lambda/reevaluate.ts, plus polling its queue', () => {
    const polling = ['ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes'];
    expect([...allowedOperations('MemberReevaluateRole')].sort()).toEqual(
      [...operationsIn(['infra/lambda/reevaluate.ts']), ...polling].sort(),
    );
    expect([...operationsInBundle('reevaluate')].sort()).toEqual(
      [...operationsIn(['infra/lambda/reevaluate.ts'])].sort(),
    );
  });

  it("remediation role = the runbook's documented permissions + what our document's steps need", () => {
    // docs/aws-behaviour.md, "Runbook permissions" (iam:DeleteAccessKey is not needed: v5 deactivates).
    const runbook = [
      'ssm:StartAutomationExecution',
      'ssm:GetAutomationExecution',
      'config:ListDiscoveredResources',
      'iam:GetUser',
      'iam:GetLoginProfile',
      'iam:DeleteLoginProfile',
      'iam:ListAccessKeys',
      'iam:GetAccessKeyLastUsed',
      'iam:UpdateAccessKey',
    ];
    const byAction: Record<string, string[]> = {
      'aws:invokeLambdaFunction': ['lambda:InvokeFunction'],
      // The child runs as the role it is given (this one): start it, follow it, pass the role.
      'aws:executeAutomation': ['ssm:StartAutomationExecution', 'ssm:GetAutomationExecution', 'iam:PassRole'],
      'aws:branch': [],
      'aws:sleep': [],
      'aws:executeScript': [],
    };
    const steps = remediationDocumentContent('arn').mainSteps as { action: string }[];
    const document = steps.flatMap((step) => {
      const needs = byAction[step.action];
      if (needs === undefined) throw new Error(`no permission mapping for ${step.action}`);
      return needs;
    });
    expect(allowedActions('MemberRemediationRole')).toEqual([...new Set([...runbook, ...document])].sort());
  });

  it('exclusions role: every exclusion-store operation, and nothing the CLI does not send', () => {
    const allowed = allowedOperations('MemberExclusionsRole');
    for (const op of operationsIn([
      'scripts/commands/exclusions/store.ts',
      'scripts/commands/exclusions/history.ts',
      'scripts/commands/status/heartbeat-read.ts',
    ]))
      expect(allowed).toContain(op);
    const cli = operationsIn(tsFilesUnder('scripts'));
    expect([...allowed].filter((op) => !cli.has(op))).toEqual([]);
  });
});
