import {
  ConfigServiceClient,
  type Evaluation,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { IAMClient } from '@aws-sdk/client-iam';
import {
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach } from 'vitest';
import { NO_EXCLUSIONS_VALUE } from '../../evaluator/exclusions';
import { createPerUserSource } from '../../evaluator/facts/per-user';
import type { HandlerDeps } from '../../evaluator/handler';
import { HEARTBEAT_PARAMETER_NAME, type Heartbeat, parseHeartbeat } from '../../evaluator/heartbeat';
import { collectingLogger, type FakeUser, NOW, RULE_NAME, serveIamAccount } from './handler-fixtures';

/** Shared mocks, fixtures and per-test reset for the handler tests (handler*.test.ts). */
export const iamMock = mockClient(IAMClient);
export const ssmMock = mockClient(SSMClient);
export const configMock = mockClient(ConfigServiceClient);

export const PARAMETER = '/iam-unused-user-cleanup/excluded-users';

export function ssmError(name: string): SSMServiceException {
  return new SSMServiceException({ name, message: `${name} from the mock`, $fault: 'client', $metadata: {} });
}

/** Prepare: an account with `users`, an exclusion value, and the rule's earlier results. */
export function prepare(options: {
  users: readonly FakeUser[];
  /** The parameter value; null = the parameter does not exist. @default NO_EXCLUSIONS_VALUE */
  exclusions?: string | null;
  previous?: readonly string[];
}) {
  serveIamAccount(iamMock, options.users, { usersPerPage: 100 });
  if (options.exclusions === null) {
    ssmMock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
  } else {
    ssmMock.on(GetParameterCommand).resolves({
      Parameter: { Name: PARAMETER, Type: 'StringList', Value: options.exclusions ?? NO_EXCLUSIONS_VALUE },
    });
  }
  // No earlier heartbeat; writing one succeeds.
  ssmMock
    .on(GetParameterCommand, { Name: HEARTBEAT_PARAMETER_NAME })
    .rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
  ssmMock.on(PutParameterCommand).resolves({ Version: 1 });
  const previous = options.previous ?? [];
  configMock.on(GetComplianceDetailsByConfigRuleCommand).callsFake((input: { NextToken?: string }) => {
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const page = previous.slice(start, start + 100);
    return {
      EvaluationResults: page.map((id) => ({
        EvaluationResultIdentifier: {
          EvaluationResultQualifier: {
            ConfigRuleName: RULE_NAME,
            ResourceType: 'AWS::IAM::User',
            ResourceId: id,
          },
        },
        ComplianceType: 'COMPLIANT',
      })),
      ...(start + 100 < previous.length ? { NextToken: String(start + 100) } : {}),
    };
  });
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  const logger = collectingLogger();
  const deps: HandlerDeps = {
    iam: new IAMClient({ region: 'us-east-1' }),
    ssm: new SSMClient({ region: 'us-east-1' }),
    config: new ConfigServiceClient({ region: 'us-east-1' }),
    // These tests pin the per-user strategy's exact calls; report-first has its own tests.
    factsSource: createPerUserSource,
    clock: () => NOW,
    logger,
    putRetry: { sleep: async () => undefined },
  };
  return { deps, logger };
}

export function putCalls() {
  return configMock.commandCalls(PutEvaluationsCommand).map((call) => call.args[0].input);
}

export function heartbeatsWritten(): Heartbeat[] {
  return ssmMock
    .commandCalls(PutParameterCommand, { Name: HEARTBEAT_PARAMETER_NAME })
    .map((call) => parseHeartbeat(call.args[0].input.Value ?? ''));
}

export function allPut(): Evaluation[] {
  return putCalls().flatMap((input) => input.Evaluations ?? []);
}

beforeEach(() => {
  iamMock.reset();
  ssmMock.reset();
  configMock.reset();
});
