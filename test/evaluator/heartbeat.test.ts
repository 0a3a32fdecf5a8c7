import { PutParameterCommand, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { HeartbeatWriteError, writeHeartbeat } from '../../evaluator/aws/heartbeat-parameter';
import {
  formatHeartbeat,
  HEARTBEAT_MAX_BYTES,
  HEARTBEAT_MAX_LISTED_ENTRIES,
  HEARTBEAT_PARAMETER_NAME,
  type Heartbeat,
  HeartbeatFormatError,
  isHeartbeatStale,
  parseHeartbeat,
} from '../../evaluator/heartbeat';

const ssmMock = mockClient(SSMClient);
beforeEach(() => ssmMock.reset());

const OK: Heartbeat = {
  schema: 1,
  time: '2025-06-01T12:00:00.000Z',
  ok: true,
  lastOkTime: '2025-06-01T12:00:00.000Z',
  ruleName: 'iam-unused-credentials-check-conformance-pack-abc',
  strategy: 'report-first',
  usersEvaluated: 12,
  nonCompliant: 2,
  excluded: 1,
  exclusionParameterName: '/iam-unused-user-cleanup/excluded-users',
  exclusionParameterVersion: 4,
  unmatchedEntries: ['bobb'],
  unmatchedCount: 1,
  error: null,
};

describe('heartbeat contract', () => {
  it('round-trips through format and parse', () => {
    expect(parseHeartbeat(formatHeartbeat(OK))).toEqual(OK);
  });

  it('lists at most 25 unmatched entries (the count stays exact) and fits the standard tier', () => {
    const many = Array.from({ length: 200 }, (_, i) => `${'x'.repeat(60)}${String(i).padStart(4, '0')}`);
    const text = formatHeartbeat({
      ...OK,
      unmatchedEntries: many,
      unmatchedCount: 200,
      ok: false,
      error: { name: 'E', message: 'm'.repeat(5000) },
    });
    const parsed = parseHeartbeat(text);
    expect(parsed.unmatchedEntries).toHaveLength(HEARTBEAT_MAX_LISTED_ENTRIES);
    expect(parsed.unmatchedCount).toBe(200);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(HEARTBEAT_MAX_BYTES);
  });

  it.each([
    ['not JSON', 'hello', 'not JSON'],
    ['another schema', JSON.stringify({ ...OK, schema: 2 }), 'field schema is 2'],
    ['a bad time', JSON.stringify({ ...OK, time: 'yesterday' }), 'field time'],
    ['a negative count', JSON.stringify({ ...OK, nonCompliant: -1 }), 'field nonCompliant'],
    ['a failed run without its error', JSON.stringify({ ...OK, ok: false }), 'field error'],
  ])('refuses %s, naming the field', (_case, text, message) => {
    expect(() => parseHeartbeat(text)).toThrow(HeartbeatFormatError);
    expect(() => parseHeartbeat(text)).toThrow(message);
  });

  it('is stale when the last successful run is older than twice the frequency', () => {
    const day = 24 * 3600 * 1000;
    const at = (ms: number) => new Date(Date.parse(OK.time) + ms);
    expect(isHeartbeatStale(OK, day, at(2 * day))).toBe(false);
    expect(isHeartbeatStale(OK, day, at(2 * day + 1))).toBe(true);
    expect(
      isHeartbeatStale(
        { ...OK, ok: false, lastOkTime: null, error: { name: 'E', message: 'm' } },
        day,
        at(0),
      ),
    ).toBe(true);
  });
});

describe('writeHeartbeat', () => {
  it('overwrites the fixed String parameter in the standard tier', async () => {
    ssmMock.on(PutParameterCommand).resolves({ Version: 9 });
    await writeHeartbeat(new SSMClient({ region: 'us-east-1' }), OK);
    expect(ssmMock.commandCalls(PutParameterCommand)[0]?.args[0].input).toEqual({
      Name: HEARTBEAT_PARAMETER_NAME,
      Value: formatHeartbeat(OK),
      Type: 'String',
      Tier: 'Standard',
      Overwrite: true,
    });
  });

  it('fails loudly when denied (an SCP or a tampered role)', async () => {
    const cause = new SSMServiceException({
      name: 'AccessDeniedException',
      message: 'denied',
      $fault: 'client',
      $metadata: {},
    });
    ssmMock.on(PutParameterCommand).rejects(cause);
    const error = await writeHeartbeat(new SSMClient({ region: 'us-east-1' }), OK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeartbeatWriteError);
    expect((error as Error).cause).toBe(cause);
    expect((error as Error).message).toContain('AccessDeniedException: denied');
  });
});
