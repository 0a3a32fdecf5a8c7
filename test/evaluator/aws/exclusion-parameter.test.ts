import { GetParameterCommand, ParameterNotFound, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { readExclusionList } from '../../../evaluator/aws/exclusion-parameter';
import { ExclusionListUnavailableError, InvalidExclusionListError } from '../../../evaluator/errors';
import { ExclusionList } from '../../../evaluator/exclusions';
import { collectingLogger } from '../handler-fixtures';

const ssmMock = mockClient(SSMClient);
const NAME = '/iam-unused-user-cleanup/excluded-users';
const ssm = () => new SSMClient({ region: 'us-east-1' });

beforeEach(() => {
  ssmMock.reset();
});

describe('readExclusionList', () => {
  it('parses the parameter value and logs how many entries it holds', async () => {
    // Prepare
    ssmMock
      .on(GetParameterCommand, { Name: NAME })
      .resolves({ Parameter: { Name: NAME, Value: 'alice,\n Bob ,AIDA0000000000000001' } });
    const logger = collectingLogger();
    // Act
    const list = await readExclusionList(ssm(), NAME, logger);
    // Assess
    expect(list.entries.map((e) => [e.raw, e.kind])).toEqual([
      ['alice', 'name'],
      ['Bob', 'name'],
      ['AIDA0000000000000001', 'userId'],
    ]);
    expect(logger.json()).toEqual([
      { level: 'INFO', message: 'exclusion list read', parameterName: NAME, entries: 3 },
    ]);
  });

  it('returns the empty list and says so when the parameter does not exist', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'missing', $metadata: {} }));
    const logger = collectingLogger();
    // Act
    const list = await readExclusionList(ssm(), NAME, logger);
    // Assess
    expect(list).toBe(ExclusionList.EMPTY);
    expect(logger.json()).toEqual([
      { level: 'WARN', message: 'exclusion parameter not found: no user is excluded', parameterName: NAME },
    ]);
  });

  it.each(['AccessDeniedException', 'InternalServerError', 'ThrottlingException'])(
    'throws ExclusionListUnavailableError with the cause on %s',
    async (name) => {
      // Prepare
      const cause = new SSMServiceException({ name, message: 'nope', $fault: 'client', $metadata: {} });
      ssmMock.on(GetParameterCommand).rejects(cause);
      // Act
      const error = await readExclusionList(ssm(), NAME, collectingLogger()).catch((e: unknown) => e);
      // Assess
      expect(error).toBeInstanceOf(ExclusionListUnavailableError);
      expect((error as Error).cause).toBe(cause);
      expect((error as Error).message).toContain(`SSM parameter ${NAME} (${name}: nope)`);
    },
  );

  it('throws when the parameter comes back without a value', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: NAME } });
    // Act
    const run = readExclusionList(ssm(), NAME, collectingLogger());
    // Assess
    await expect(run).rejects.toThrow(ExclusionListUnavailableError);
  });

  it('lets InvalidExclusionListError through, naming the parameter and every bad entry', async () => {
    // Prepare
    ssmMock
      .on(GetParameterCommand)
      .resolves({ Parameter: { Name: NAME, Value: 'ok-user, bad user, also/bad' } });
    // Act
    const error = await readExclusionList(ssm(), NAME, collectingLogger()).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(InvalidExclusionListError);
    expect((error as InvalidExclusionListError).invalidEntries).toEqual(['bad user', 'also/bad']);
    expect((error as Error).message).toContain(`SSM parameter ${NAME}`);
  });
});
