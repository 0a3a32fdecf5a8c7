import {
  DeleteParametersCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  deleteRolloutState,
  RolloutStateError,
  readRolloutState,
  writeRecords,
} from '../../../infra/lambda/reconciler/state-store';
import {
  type AccountRecord,
  APPLIED_PARAMETER_NAME,
  accountStateParameterName,
  InvalidRolloutParameterError,
  PAUSE_PARAMETER_NAME,
} from '../../../infra/rollout/contract';

const ssm = mockClient(SSMClient);
const client = () => new SSMClient({ region: 'eu-west-1', maxAttempts: 1 });
const id = (n: number) => String(100_000_000_000 + n);
const err = (name: string) => Object.assign(new Error(name), { name });
const record = (accountId: string, attempts = 0): AccountRecord => ({
  v: 1,
  accountId,
  condition: 'pack-failed',
  since: '2026-12-01T00:00:00.000Z',
  attempts,
  lastAttemptAt: null,
  nextAttemptAt: null,
  packStatus: 'CREATE_FAILED',
  errorCode: 'X',
  errorMessage: 'x',
  stackInstanceStatus: 'CURRENT',
  fix: 'f',
  alarming: false,
});

beforeEach(() => ssm.reset());

describe('readRolloutState', () => {
  it('reads records, the applied put and the pause across pages of 10', async () => {
    const params = [
      ...Array.from({ length: 23 }, (_, i) => ({
        Name: accountStateParameterName(id(i)),
        Value: JSON.stringify(record(id(i))),
      })),
      {
        Name: APPLIED_PARAMETER_NAME,
        Value: JSON.stringify({ v: 1, specHash: 'h', paused: true, putAt: 't' }),
      },
      { Name: PAUSE_PARAMETER_NAME, Value: '{"paused":true}' },
    ];
    ssm.on(GetParametersByPathCommand).callsFake((input) => {
      const start = Number(input.NextToken ?? 0);
      return {
        Parameters: params.slice(start, start + 10),
        NextToken: start + 10 < params.length ? String(start + 10) : undefined,
      };
    });
    const state = await readRolloutState(client());
    expect(state.records.size).toBe(23);
    expect(state.applied?.paused).toBe(true);
    expect(state.pauseText).toBe('{"paused":true}');
    expect(ssm.commandCalls(GetParametersByPathCommand)).toHaveLength(3);
    expect(ssm.commandCalls(GetParametersByPathCommand)[0]?.args[0].input).toMatchObject({
      Recursive: true,
      MaxResults: 10,
    });
  });

  it('refuses a record it cannot read, naming the parameter', async () => {
    ssm
      .on(GetParametersByPathCommand)
      .resolves({ Parameters: [{ Name: accountStateParameterName(id(1)), Value: '{"v":2}' }] });
    await expect(readRolloutState(client())).rejects.toThrow(InvalidRolloutParameterError);
  });

  it.each(['AccessDeniedException', 'ThrottlingException'])('fails the run on %s', async (name) => {
    ssm.on(GetParametersByPathCommand).rejects(err(name));
    await expect(readRolloutState(client())).rejects.toThrow(new RegExp(`${name}.*ssm:GetParametersByPath`));
  });
});

describe('writeRecords', () => {
  it('writes only changed records and deletes the rest in batches of 10', async () => {
    ssm.on(PutParameterCommand).resolves({});
    ssm.on(DeleteParametersCommand).resolves({});
    const before = new Map(Array.from({ length: 12 }, (_, i) => [id(i), record(id(i))] as const));
    before.set(id(50), record(id(50)));
    const after = new Map([
      [id(50), record(id(50))],
      [id(51), record(id(51), 1)],
    ]);
    expect(await writeRecords(client(), before, after)).toEqual({ written: 1, deleted: 12 });
    expect(ssm.commandCalls(PutParameterCommand)[0]?.args[0].input).toMatchObject({
      Name: accountStateParameterName(id(51)),
      Type: 'String',
      Overwrite: true,
    });
    expect(ssm.commandCalls(DeleteParametersCommand).map((c) => c.args[0].input.Names?.length)).toEqual([
      10, 2,
    ]);
  });

  it('writes what it can and then fails, naming how many writes failed', async () => {
    ssm
      .on(PutParameterCommand, { Name: accountStateParameterName(id(2)) })
      .rejects(err('ThrottlingException'));
    ssm.on(PutParameterCommand, { Name: accountStateParameterName(id(1)) }).resolves({});
    const after = new Map([
      [id(1), record(id(1))],
      [id(2), record(id(2))],
    ]);
    const error = await writeRecords(client(), new Map(), after).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RolloutStateError);
    expect((error as Error).message).toMatch(/^1 of 2 writes/);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(2);
  });
});

describe('deleteRolloutState', () => {
  it('deletes every rollout parameter, the pause included', async () => {
    ssm.on(GetParametersByPathCommand).resolves({
      Parameters: [
        { Name: accountStateParameterName(id(1)), Value: JSON.stringify(record(id(1))) },
        { Name: PAUSE_PARAMETER_NAME, Value: '{"paused":false}' },
      ],
    });
    ssm.on(DeleteParametersCommand).resolves({});
    expect(await deleteRolloutState(client())).toBe(2);
    expect(ssm.commandCalls(DeleteParametersCommand)[0]?.args[0].input.Names).toEqual([
      accountStateParameterName(id(1)),
      PAUSE_PARAMETER_NAME,
    ]);
  });
});
