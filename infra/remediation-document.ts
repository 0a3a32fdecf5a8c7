import { RUNBOOK } from '../conformance-pack/names';
import { CHECK_EVENT_KEYS } from '../evaluator/check/event';
import { CHECK_DECISIONS } from '../evaluator/check/handler';

/**
 * Content of our Automation document (schemaVersion 0.3), the pack's remediation target:
 *   CheckUser (aws:invokeLambdaFunction) → the check function re-reads the live exclusion list and
 *     the user's live credentials and runs decide(); its answer's `decision` becomes an output.
 *   ChooseByCheck (aws:branch): REVOKE → RevokeUnusedCredentials (aws:executeAutomation of the
 *     AWS runbook v5 with the same three parameters as before); KEEP → NothingToRevoke (ends,
 *     success); anything else → CheckFailed (fails the execution, nothing revoked).
 * A check that throws fails CheckUser itself (onFailure Abort): nothing revoked, execution Failed.
 * Pure: the function ARN may be a CDK token; the member construct wraps this in AWS::SSM::Document.
 */

export const DOCUMENT_STEPS = {
  check: 'CheckUser',
  branch: 'ChooseByCheck',
  revoke: 'RevokeUnusedCredentials',
  keep: 'NothingToRevoke',
  failed: 'CheckFailed',
} as const;

/** The document's parameters: the runbook's three, plus the exclusion parameter the check reads. */
export const DOCUMENT_PARAMETERS = {
  assumeRole: 'AutomationAssumeRole',
  resourceId: CHECK_EVENT_KEYS.resourceId,
  maxAgeDays: CHECK_EVENT_KEYS.maxAgeDays,
  exclusionParameterName: CHECK_EVENT_KEYS.exclusionParameterName,
} as const;

/** Automation's check step waits at most this long (the check reads one user: seconds). */
export const CHECK_STEP_TIMEOUT_SECONDS = 120;

const param = (name: string) => `{{ ${name} }}`;
const decision = `{{ ${DOCUMENT_STEPS.check}.Decision }}`;

export const CHECK_FAILED_SCRIPT = [
  'def fail(events, context):',
  "    raise Exception('The revocation check gave no decision (' + str(events.get('Decision')) + '); " +
    'nothing was revoked. See the ' +
    "check function log group for the ERROR line.')",
].join('\n');

export function remediationDocumentContent(checkFunctionArn: string): Record<string, unknown> {
  const p = DOCUMENT_PARAMETERS;
  return {
    schemaVersion: '0.3',
    description:
      `Revokes unused credentials of one IAM user with ${RUNBOOK.documentName} v${RUNBOOK.version}, but only ` +
      'after re-checking, live, that the user is still not excluded and still stale (iam-unused-cleanup).',
    assumeRole: param(p.assumeRole),
    parameters: {
      [p.assumeRole]: {
        type: 'String',
        description: 'The remediation role (it runs the check and the runbook).',
        allowedPattern: '^arn:aws[a-z0-9-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$',
      },
      [p.resourceId]: {
        type: 'String',
        description: 'The Config resource id (UserId) of the IAM user.',
        allowedPattern: '^AIDA[A-Z0-9]{12,124}$',
      },
      [p.maxAgeDays]: {
        type: 'String',
        description: 'Days without use after which a credential is revoked (the rule uses the same value).',
        allowedPattern: '^\\d{1,5}$',
      },
      [p.exclusionParameterName]: {
        type: 'String',
        description: "SSM parameter with the account's exclusion list (the rule uses the same value).",
        allowedPattern: '^(/[a-zA-Z0-9_.-]+)+$',
      },
    },
    mainSteps: [
      {
        name: DOCUMENT_STEPS.check,
        action: 'aws:invokeLambdaFunction',
        timeoutSeconds: CHECK_STEP_TIMEOUT_SECONDS,
        onFailure: 'Abort',
        inputs: {
          FunctionName: checkFunctionArn,
          InputPayload: {
            [CHECK_EVENT_KEYS.resourceId]: param(p.resourceId),
            [CHECK_EVENT_KEYS.maxAgeDays]: param(p.maxAgeDays),
            [CHECK_EVENT_KEYS.exclusionParameterName]: param(p.exclusionParameterName),
          },
        },
        outputs: [
          { Name: 'Decision', Selector: '$.Payload.decision', Type: 'String' },
          { Name: 'Reason', Selector: '$.Payload.reason', Type: 'String' },
        ],
        nextStep: DOCUMENT_STEPS.branch,
      },
      {
        name: DOCUMENT_STEPS.branch,
        action: 'aws:branch',
        inputs: {
          Choices: [
            { NextStep: DOCUMENT_STEPS.revoke, Variable: decision, StringEquals: CHECK_DECISIONS.revoke },
            { NextStep: DOCUMENT_STEPS.keep, Variable: decision, StringEquals: CHECK_DECISIONS.keep },
          ],
          Default: DOCUMENT_STEPS.failed,
        },
      },
      {
        name: DOCUMENT_STEPS.revoke,
        action: 'aws:executeAutomation',
        onFailure: 'Abort',
        inputs: {
          DocumentName: RUNBOOK.documentName,
          DocumentVersion: RUNBOOK.version,
          RuntimeParameters: {
            AutomationAssumeRole: param(p.assumeRole),
            IAMResourceId: param(p.resourceId),
            MaxCredentialUsageAge: param(p.maxAgeDays),
          },
        },
        isEnd: true,
      },
      {
        name: DOCUMENT_STEPS.keep,
        action: 'aws:sleep',
        inputs: { Duration: 'PT1S' },
        isEnd: true,
      },
      {
        name: DOCUMENT_STEPS.failed,
        action: 'aws:executeScript',
        onFailure: 'Abort',
        inputs: {
          Runtime: 'python3.11',
          Handler: 'fail',
          InputPayload: { Decision: decision },
          Script: CHECK_FAILED_SCRIPT,
        },
        isEnd: true,
      },
    ],
    outputs: [`${DOCUMENT_STEPS.check}.Decision`, `${DOCUMENT_STEPS.check}.Reason`],
  };
}
