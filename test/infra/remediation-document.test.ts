import { beforeEach, describe, expect, it } from 'vitest';
import { RUNBOOK } from '../../conformance-pack/names';
import { CHECK_FUNCTION_NAME } from '../../conformance-pack/safety-names';
import { createCheckHandler } from '../../evaluator/check/handler';
import { NO_EXCLUSIONS_VALUE } from '../../evaluator/exclusions';
import {
  CHECK_FAILED_SCRIPT,
  DOCUMENT_STEPS,
  remediationDocumentContent,
} from '../../infra/remediation-document';
import { checkEvent, clients, type FakeAccount, PARAMETER, serveAccount } from '../evaluator/check/fixtures';
import { collectingLogger, daysAgo, NOW, userId } from '../evaluator/handler-fixtures';
import { runAutomation } from './automation-sim';

const FUNCTION_ARN = `arn:aws:lambda:eu-west-1:111111111111:function:${CHECK_FUNCTION_NAME}`;
const ROLE = 'arn:aws:iam::111111111111:role/iam-unused-cleanup-remediation';
const ALICE = userId(1);
const document = remediationDocumentContent(FUNCTION_ARN);
// biome-ignore lint/suspicious/noExplicitAny: plain JSON document
const steps = document.mainSteps as any[];

let account: FakeAccount;
let logger: ReturnType<typeof collectingLogger>;

/** Config starts the remediation for alice, found NON_COMPLIANT by the periodic run. */
function remediate() {
  const check = createCheckHandler({ ...clients(), clock: () => NOW, logger });
  serveAccount(account);
  const event = checkEvent(ALICE);
  return runAutomation(
    document,
    { AutomationAssumeRole: ROLE, ...(event as Record<string, string>) },
    { lambdas: { [FUNCTION_ARN]: check }, scriptRaises: (s) => s.includes('raise Exception(') },
  );
}

beforeEach(() => {
  account = {
    users: [
      {
        name: 'alice',
        id: ALICE,
        keys: [{ id: 'AKIAALICE0000000001', created: daysAgo(400), lastUsed: daysAgo(200) }],
      },
    ],
    exclusions: NO_EXCLUSIONS_VALUE,
    exclusionVersion: 1,
  };
  logger = collectingLogger();
});

describe('remediation document: every branch, run against the real check', () => {
  it('still stale → runs the AWS runbook v5 with exactly the parameters the pack passed before', async () => {
    const result = await remediate();
    expect(result.status).toBe('Success');
    expect(result.stepsRun).toEqual([DOCUMENT_STEPS.check, DOCUMENT_STEPS.branch, DOCUMENT_STEPS.revoke]);
    expect(result.childAutomations).toEqual([
      {
        DocumentName: RUNBOOK.documentName,
        DocumentVersion: RUNBOOK.version,
        RuntimeParameters: { AutomationAssumeRole: ROLE, IAMResourceId: ALICE, MaxCredentialUsageAge: '90' },
      },
    ]);
  });

  it('excluded after the verdict → nothing revoked, the execution says why', async () => {
    account.exclusions = 'alice';
    const result = await remediate();
    expect(result.status).toBe('Success');
    expect(result.stepsRun).toEqual([DOCUMENT_STEPS.check, DOCUMENT_STEPS.branch, DOCUMENT_STEPS.keep]);
    expect(result.childAutomations).toEqual([]);
    expect(result.outputs).toEqual({ 'CheckUser.Decision': 'KEEP', 'CheckUser.Reason': 'excluded' });
  });

  it('used since the verdict → nothing revoked', async () => {
    account.users = [
      {
        name: 'alice',
        id: ALICE,
        keys: [{ id: 'AKIAALICE0000000001', created: daysAgo(400), lastUsed: daysAgo(1) }],
      },
    ];
    const result = await remediate();
    expect(result.childAutomations).toEqual([]);
    expect(result.outputs['CheckUser.Reason']).toBe('not-stale');
  });

  it('the check fails (exclusion parameter deleted) → nothing revoked, the execution fails at the check', async () => {
    account.exclusions = undefined;
    const result = await remediate();
    expect(result).toMatchObject({ status: 'Failed', failedStep: DOCUMENT_STEPS.check });
    expect(result.failure).toContain(`${PARAMETER} does not exist`);
    expect(result.childAutomations).toEqual([]);
    expect(logger.json()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', errorName: 'ExclusionListMissingError' }),
    );
    expect(logger.json()).toContainEqual(expect.objectContaining({ RevocationCheckFailed: 1 }));
  });

  it('a check that answers without a decision → CheckFailed fails the execution, nothing revoked', async () => {
    const result = await runAutomation(
      document,
      { AutomationAssumeRole: ROLE, ...(checkEvent(ALICE) as Record<string, string>) },
      {
        lambdas: { [FUNCTION_ARN]: async () => ({ errorMessage: 'odd' }) },
        scriptRaises: (s) => s.includes('raise Exception('),
      },
    );
    expect(result).toMatchObject({ status: 'Failed', failedStep: DOCUMENT_STEPS.failed });
    expect(result.childAutomations).toEqual([]);
  });
});

describe('remediation document: structure', () => {
  it('is an Automation document (0.3) that runs as the role it is given', () => {
    expect(document).toMatchObject({ schemaVersion: '0.3', assumeRole: '{{ AutomationAssumeRole }}' });
    expect(Object.keys(document.parameters as object)).toEqual([
      'AutomationAssumeRole',
      'IAMResourceId',
      'MaxCredentialUsageAge',
      'ExclusionParameterName',
    ]);
  });

  it('checks first, branches only on the check output, and runs the runbook on REVOKE only', () => {
    expect(steps.map((s) => [s.name, s.action])).toEqual([
      ['CheckUser', 'aws:invokeLambdaFunction'],
      ['ChooseByCheck', 'aws:branch'],
      ['RevokeUnusedCredentials', 'aws:executeAutomation'],
      ['NothingToRevoke', 'aws:sleep'],
      ['CheckFailed', 'aws:executeScript'],
    ]);
    expect(steps[0]).toMatchObject({ onFailure: 'Abort', inputs: { FunctionName: FUNCTION_ARN } });
    expect(steps[1].inputs).toEqual({
      Choices: [
        { NextStep: 'RevokeUnusedCredentials', Variable: '{{ CheckUser.Decision }}', StringEquals: 'REVOKE' },
        { NextStep: 'NothingToRevoke', Variable: '{{ CheckUser.Decision }}', StringEquals: 'KEEP' },
      ],
      Default: 'CheckFailed',
    });
    // Only one step may revoke, and only the branch leads to it.
    expect(steps.filter((s) => s.action === 'aws:executeAutomation')).toHaveLength(1);
    const leadsTo = steps.flatMap((s) => [
      s.nextStep,
      ...(s.inputs?.Choices ?? []).map((c: { NextStep: string }) => c.NextStep),
    ]);
    expect(leadsTo.filter((n) => n === 'RevokeUnusedCredentials')).toEqual(['RevokeUnusedCredentials']);
    expect(steps.slice(2).every((s) => s.isEnd === true)).toBe(true);
  });

  it('the failure script raises', () => {
    expect(CHECK_FAILED_SCRIPT).toMatch(/^def fail\(events, context\):\n {4}raise Exception\(/);
  });
});
