import { describe, expect, it } from 'vitest';
import {
  type AggregatorRead,
  type RecorderFacts,
  recorderVerdict,
  recordsIamUsers,
} from '../../../../scripts/commands/rollout/recorder';

const ID = '111111111111';
const REGION = 'eu-west-1';

function recorder(over: Partial<RecorderFacts> = {}): RecorderFacts {
  return { name: 'default', resourceTypes: [], excludedResourceTypes: [], recording: true, ...over };
}

const AGGREGATOR: AggregatorRead = {
  kind: 'read',
  name: 'org-agg',
  iamUsers: new Map([[ID, 3]]),
  anyResource: new Set([ID, '222222222222']),
};

describe('recordsIamUsers', () => {
  it.each([
    ['all supported with global types', { allSupported: true, includeGlobalResourceTypes: true }, true],
    ['all supported without global types', { allSupported: true, includeGlobalResourceTypes: false }, false],
    [
      'strategy ALL_SUPPORTED with global types',
      { strategy: 'ALL_SUPPORTED_RESOURCE_TYPES', includeGlobalResourceTypes: true },
      true,
    ],
    ['inclusion naming the user type', { resourceTypes: ['AWS::IAM::User'] }, true],
    ['inclusion without it', { resourceTypes: ['AWS::S3::Bucket', 'AWS::IAM::Role'] }, false],
    [
      'exclusion of other types',
      { strategy: 'EXCLUSION_BY_RESOURCE_TYPES', excludedResourceTypes: ['AWS::S3::Bucket'] },
      true,
    ],
    [
      'exclusion of IAM users',
      { strategy: 'EXCLUSION_BY_RESOURCE_TYPES', excludedResourceTypes: ['AWS::IAM::User'] },
      false,
    ],
  ])('%s -> %s', (_label, over, expected) => {
    expect(recordsIamUsers(recorder(over))).toBe(expected);
  });
});

describe('recorderVerdict', () => {
  it('a home region that cannot record IAM says no, whatever else is known', () => {
    const v = recorderVerdict(ID, 'ca-west-1', 'homeRegion cannot record', undefined, AGGREGATOR);
    expect(v).toEqual({ answer: 'no', how: 'homeRegion cannot record' });
  });

  it('the recorder read through a role wins over the aggregator', () => {
    const role = { kind: 'read' as const, roleName: 'Org', recorders: [] };
    const v = recorderVerdict(ID, REGION, undefined, role, AGGREGATOR);
    expect(v.answer).toBe('no');
    expect(v.how).toBe(`DescribeConfigurationRecorders through Org: no configuration recorder in ${REGION}`);
  });

  it.each([
    [
      [recorder({ allSupported: true, includeGlobalResourceTypes: true })],
      'yes',
      'records AWS::IAM::User and is on',
    ],
    [[recorder({ resourceTypes: ['AWS::S3::Bucket'] })], 'no', 'does not record AWS::IAM::User'],
    [
      [recorder({ resourceTypes: ['AWS::IAM::User'], recording: false })],
      'no',
      'records AWS::IAM::User but is stopped',
    ],
  ])('role read %j -> %s', (recorders, answer, how) => {
    const v = recorderVerdict(ID, REGION, undefined, { kind: 'read', roleName: 'R', recorders }, AGGREGATOR);
    expect(v.answer).toBe(answer);
    expect(v.how).toContain(how);
  });

  it('aggregator: users recorded is yes; a working recorder without users stays unknown; nothing at all is no', () => {
    expect(recorderVerdict(ID, REGION, undefined, undefined, AGGREGATOR)).toEqual({
      answer: 'yes',
      how: `aggregator org-agg: 3 AWS::IAM::User recorded in ${REGION}`,
    });
    const noUsers = recorderVerdict('222222222222', REGION, undefined, undefined, AGGREGATOR);
    expect(noUsers.answer).toBe('unknown');
    expect(noUsers.how).toContain('none exist, or it skips them');
    const nothing = recorderVerdict('444444444444', REGION, undefined, undefined, AGGREGATOR);
    expect(nothing).toEqual({
      answer: 'no',
      how: `aggregator org-agg: nothing recorded for this account in ${REGION} (no recorder there)`,
    });
  });

  it('an aggregator that holds nothing yet proves nothing', () => {
    const empty: AggregatorRead = { kind: 'read', name: 'new', iamUsers: new Map(), anyResource: new Set() };
    expect(recorderVerdict(ID, REGION, undefined, undefined, empty).answer).toBe('unknown');
  });

  it('no aggregator or a failed one is unknown, naming why and the failed role read', () => {
    expect(recorderVerdict(ID, REGION, undefined, undefined, { kind: 'none', why: 'no aggregator' })).toEqual(
      {
        answer: 'unknown',
        how: 'no aggregator',
      },
    );
    const v = recorderVerdict(
      ID,
      REGION,
      undefined,
      { kind: 'failed', roleName: 'Org', error: 'AccessDenied: no' },
      { kind: 'failed', name: 'agg', error: 'ThrottlingException: slow' },
    );
    expect(v).toEqual({
      answer: 'unknown',
      how: 'aggregator agg unreadable: ThrottlingException: slow; Org: AccessDenied: no',
    });
  });

  it('a failed role read falls back to what the aggregator proves', () => {
    const v = recorderVerdict(
      ID,
      REGION,
      undefined,
      { kind: 'failed', roleName: 'Org', error: 'x' },
      AGGREGATOR,
    );
    expect(v.answer).toBe('yes');
  });
});
