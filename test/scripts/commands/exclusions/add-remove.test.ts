import { DescribeConfigRulesCommand } from '@aws-sdk/client-config-service';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXCLUSION_PARAMETER_NAME } from '../../../../conformance-pack/names';
import { ExclusionList, NO_EXCLUSIONS_VALUE } from '../../../../evaluator/exclusions';
import { awsError, CALLER_ACCOUNT, runCli, totalCalls } from '../../../support/harness';
import {
  CUSTOM_LAMBDA,
  fakeParameters,
  mocks,
  type Param,
  putsFor,
  ruleInAccount,
  useMocks,
} from './fixture';

useMocks();

describe('exclusions add / remove', () => {
  it('creates a missing parameter (Overwrite=false) and says a re-evaluation starts', async () => {
    // Given
    const params = new Map<string, Param>();
    fakeParameters(mocks, params);
    // When
    const { code, stdout, stderr } = await runCli([
      'exclusions',
      'add',
      '--apply',
      '--account',
      '111111111111',
      'breakglass',
    ]);
    // Then
    expect(code).toBe(0);
    expect(putsFor(mocks)).toEqual([
      expect.objectContaining({
        Name: DEFAULT_EXCLUSION_PARAMETER_NAME,
        Value: 'breakglass',
        Type: 'String',
        Overwrite: false,
      }),
    ]);
    expect(params.get('111111111111')).toEqual({ value: 'breakglass', version: 1 });
    expect(stdout).toMatch(/111111111111\s+workloads\s+created\s+\+breakglass/);
    expect(stderr).toContain('re-evaluation');
  });

  it('merges into the existing list and overwrites at the version it read', async () => {
    // Given
    const params = new Map([['111111111111', { value: 'breakglass', version: 4 }]]);
    fakeParameters(mocks, params);
    // When
    const { code } = await runCli([
      'exclusions',
      'add',
      '--apply',
      '--account',
      '111111111111',
      'ci-deployer',
      'BREAKGLASS',
    ]);
    // Then
    expect(code).toBe(0);
    expect(putsFor(mocks)).toEqual([
      expect.objectContaining({ Value: 'breakglass,ci-deployer', Overwrite: true }),
    ]);
    expect(ExclusionList.parse(params.get('111111111111')?.value ?? '').size).toBe(2);
  });

  it('does not write when nothing changes', async () => {
    // Given
    fakeParameters(mocks, new Map([['111111111111', { value: 'breakglass', version: 4 }]]));
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'add',
      '--apply',
      '--account',
      '111111111111',
      'breakglass',
    ]);
    // Then
    expect(code).toBe(0);
    expect(stdout).toContain('unchanged');
    expect(putsFor(mocks)).toHaveLength(0);
  });

  it('removes names case-insensitively; removing the last one writes the empty-list value', async () => {
    // Given
    const params = new Map([['222222222222', { value: 'Alice', version: 2 }]]);
    fakeParameters(mocks, params);
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'remove',
      '--apply',
      '--account',
      '222222222222',
      'alice',
    ]);
    // Then
    expect(code).toBe(0);
    expect(stdout).toContain('-Alice');
    expect(putsFor(mocks)).toEqual([
      expect.objectContaining({ Value: NO_EXCLUSIONS_VALUE, Overwrite: true }),
    ]);
    expect(ExclusionList.parse(params.get('222222222222')?.value ?? 'x').size).toBe(0);
  });

  it('refuses to merge into a parameter that holds invalid entries', async () => {
    // Given
    fakeParameters(mocks, new Map([['111111111111', { value: 'bad user!', version: 2 }]]));
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'add',
      '--apply',
      '--account',
      '111111111111',
      'alice',
    ]);
    // Then
    expect(code).toBe(3);
    expect(stdout).toContain('exclusions sync');
    expect(putsFor(mocks)).toHaveLength(0);
  });

  it('reports a conflict when the parameter changed between read and write', async () => {
    // Given
    let reads = 0;
    mocks.ssm.on(GetParameterCommand).callsFake(() => {
      reads += 1;
      return { Parameter: { Value: 'breakglass', Version: reads === 1 ? 4 : 5 } };
    });
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'add',
      '--apply',
      '--account',
      '111111111111',
      'alice',
      '--output',
      'json',
    ]);
    // Then
    expect(code).toBe(1);
    expect(JSON.parse(stdout)[0]).toMatchObject({ status: 'conflict' });
    expect(JSON.parse(stdout)[0].message).toContain('version 4 then, version 5 now');
    expect(putsFor(mocks)).toHaveLength(0);
  });

  it('keeps the type of an existing StringList parameter when it writes', async () => {
    // Given
    const params = new Map([['111111111111', { value: 'breakglass', version: 3, type: 'StringList' }]]);
    fakeParameters(mocks, params);
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'add',
      '--apply',
      '--account',
      '111111111111',
      'alice',
    ]);
    // Then
    expect(stdout).toContain('updated');
    expect(code).toBe(0);
    expect(params.get('111111111111')).toEqual({ value: 'breakglass,alice', version: 4, type: 'StringList' });
  });

  it('refuses a SecureString parameter, which the evaluator cannot read, and writes nothing', async () => {
    // Given
    const params = new Map([
      ['111111111111', { value: 'AQICAHh+ciphertext/with==', version: 2, type: 'SecureString' }],
    ]);
    fakeParameters(mocks, params);
    // When
    const listed = await runCli(['exclusions', 'list', '--account', '111111111111', '--output', 'json']);
    // Then
    expect(listed.code).toBe(3);
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({ status: 'failed', entries: [] });
    expect(JSON.parse(listed.stdout)[0].message).toContain('SecureString');
    const added = await runCli([
      'exclusions',
      'add',
      '--apply',
      '--account',
      '111111111111',
      'alice',
      '--output',
      'json',
    ]);
    expect(added.code).toBe(3);
    expect(JSON.parse(added.stdout)[0].message).toContain('SecureString');
    expect(putsFor(mocks)).toHaveLength(0);
  });

  it('reports a write that landed on top of a concurrent one (version skipped) as overwrote, exit 1', async () => {
    // Given
    const params = new Map([['111111111111', { value: 'breakglass', version: 4 }]]);
    fakeParameters(mocks, params);
    // Someone else writes between our re-read and our PutParameter: SSM answers version 6.
    mocks.ssm.on(PutParameterCommand).resolves({ Version: 6, Tier: 'Standard' });
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'add',
      '--apply',
      '--account',
      '111111111111',
      'alice',
      '--output',
      'json',
    ]);
    // Then
    expect(code).toBe(1);
    expect(JSON.parse(stdout)[0]).toMatchObject({ status: 'overwrote', version: 6 });
    expect(JSON.parse(stdout)[0].message).toContain('version 5');
    expect(JSON.parse(stdout)[0].message).toContain('get-parameter-history');
  });

  it.each([
    [['exclusions', 'add', '--account', '111111111111', 'bad user!'], 'invalid exclusion entry'],
    [['exclusions', 'add', '--account', '111111111111', 'a,b'], 'invalid exclusion entry'],
    [['exclusions', 'add', 'alice'], '--account is required'],
    [['exclusions', 'add', '--account', '12345', 'alice'], '12-digit'],
    [['exclusions', 'remove', '--account', '111111111111'], 'missing argument: names'],
    [['exclusions', 'add', '--mode', 'account', '--account', '111111111111', 'alice'], 'does not apply'],
    [['exclusions', 'list', '--output', 'html'], 'Allowed choices are table, json'],
    [['exclusions', 'list', '--concurrency', '0'], 'whole number from 1'],
    [['exclusions', 'add', '--account', '111111111111', 'alice', '--region', 'eu/west-1'], 'AWS region'],
    [['exclusions', 'list', '--parameter-name', 'no-slash'], 'SSM parameter path'],
  ])('bad usage %j exits 2 before any AWS call', async (args, message) => {
    // When
    const { code, stderr } = await runCli(args);
    // Then
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(totalCalls(mocks)).toBe(0);
  });

  it('in account mode writes the current account without assuming a role', async () => {
    // Given
    const params = new Map<string, Param>();
    fakeParameters(mocks, params);
    ruleInAccount(mocks, DEFAULT_EXCLUSION_PARAMETER_NAME);
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'add',
      '--apply',
      '--mode',
      'account',
      'breakglass',
    ]);
    // Then
    expect(code).toBe(0);
    expect(params.get(CALLER_ACCOUNT)).toEqual({ value: 'breakglass', version: 1 });
    expect(stdout).toContain(CALLER_ACCOUNT);
    expect(mocks.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(mocks.organizations.calls()).toHaveLength(0);
  });

  it('in account mode refuses to write a parameter the rule does not read (other --parameter-name)', async () => {
    // Given
    // The deployment's exclusionParameterName setting was changed; the CLI default is then wrong
    // and a list written there would protect nobody.
    const params = new Map<string, Param>();
    fakeParameters(mocks, params);
    ruleInAccount(mocks, '/team/iam-exclusions');
    // When
    const { code, stdout } = await runCli([
      'exclusions',
      'add',
      '--apply',
      '--mode',
      'account',
      'breakglass',
      '--output',
      'json',
    ]);
    // Then
    expect(code).toBe(3);
    expect(JSON.parse(stdout)[0]).toMatchObject({ status: 'failed' });
    expect(JSON.parse(stdout)[0].message).toContain('--parameter-name /team/iam-exclusions');
    expect(putsFor(mocks)).toHaveLength(0);
    const listed = await runCli(['exclusions', 'list', '--mode', 'account']);
    expect(listed.code).toBe(3);
    expect(listed.stdout).toContain('/team/iam-exclusions');
    const right = await runCli([
      'exclusions',
      'add',
      '--apply',
      '--mode',
      'account',
      'breakglass',
      '--parameter-name',
      '/team/iam-exclusions',
    ]);
    expect(right.code).toBe(0);
    expect(params.get(CALLER_ACCOUNT)?.value).toBe('breakglass');
  });

  it('in account mode still writes when no rule is deployed yet (the list can come first)', async () => {
    // Given
    const params = new Map<string, Param>();
    fakeParameters(mocks, params);
    mocks.config
      .on(DescribeConfigRulesCommand)
      .resolves({ ConfigRules: [{ ConfigRuleName: 'other-rule', Source: CUSTOM_LAMBDA }] });
    // When
    const { code } = await runCli(['exclusions', 'add', '--apply', '--mode', 'account', 'breakglass']);
    // Then
    expect(code).toBe(0);
    expect(params.get(CALLER_ACCOUNT)?.value).toBe('breakglass');
  });

  it('says which parameter the role may use when the parameter read is denied (organization mode)', async () => {
    // Given
    mocks.ssm
      .on(GetParameterCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform ssm:GetParameter'));
    // When
    const { code, stdout } = await runCli(['exclusions', 'list', '--account', '111111111111']);
    // Then
    expect(code).toBe(3);
    expect(stdout).toContain('--parameter-name');
  });
});

describe('exclusions add / remove without --apply', () => {
  it.each([
    ['add', 'oncall', /111111111111\s+workloads\s+would-update\s+\+oncall/],
    ['remove', 'breakglass', /111111111111\s+workloads\s+would-update\s+-breakglass/],
  ])('%s prints the change and writes nothing', async (verb, name, row) => {
    // Given
    const params = new Map([['111111111111', { value: 'breakglass', version: 4 }]]);
    fakeParameters(mocks, params);
    // When
    const { code, stdout, stderr } = await runCli(['exclusions', verb, '--account', '111111111111', name]);
    // Then
    expect(code).toBe(0);
    expect(stdout).toMatch(row);
    expect(stderr).toContain('rerun with --apply');
    expect(putsFor(mocks)).toHaveLength(0);
    expect(params.get('111111111111')).toEqual({ value: 'breakglass', version: 4 });
  });
});
