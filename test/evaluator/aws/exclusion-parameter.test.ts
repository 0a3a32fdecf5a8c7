import { GetParameterCommand, ParameterNotFound, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ExclusionListMissingError,
  readExclusionList,
  readExclusionParameter,
} from '../../../evaluator/aws/exclusion-parameter';
import { ExclusionListUnavailableError, InvalidExclusionListError } from '../../../evaluator/errors';
import { NO_EXCLUSIONS_VALUE } from '../../../evaluator/exclusions';
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

  it('refuses a missing parameter: a deleted list never means "exclude nobody"', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'missing', $metadata: {} }));
    const logger = collectingLogger();
    // Act
    const error = await readExclusionList(ssm(), NAME, logger).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(ExclusionListMissingError);
    expect(error).toBeInstanceOf(ExclusionListUnavailableError);
    expect((error as Error).message).toContain(`${NAME} does not exist, so no evaluation was sent`);
    expect((error as Error).message).toContain(`"${NO_EXCLUSIONS_VALUE}"`);
    expect(logger.lines).toEqual([]);
  });

  it('reads the explicit "(none)" value as the empty list, with the version it came from', async () => {
    // Prepare
    ssmMock
      .on(GetParameterCommand, { Name: NAME })
      .resolves({ Parameter: { Name: NAME, Value: ` ${NO_EXCLUSIONS_VALUE}\n`, Version: 7 } });
    const logger = collectingLogger();
    // Act
    const read = await readExclusionParameter(ssm(), NAME, logger);
    // Assess
    expect(read.list.size).toBe(0);
    expect(read.version).toBe(7);
    expect(logger.json()).toEqual([
      { level: 'INFO', message: 'exclusion list read', parameterName: NAME, version: 7, entries: 0 },
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
