import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeConfigRulesCommand } from '@aws-sdk/client-config-service';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, vi } from 'vitest';
import { CONFIG_RULE_NAME, RULE_PARAMETER_KEYS } from '../../../../conformance-pack/names';
import { type AwsMocks, accountOf, awsError, mockAws, organizationAccounts } from '../../../support/harness';

/** Shared builders for the `iam-unused exclusions` scenario tests: SSM parameters and rules per account. */

export const dir = mkdtempSync(join(tmpdir(), 'iam-unused-exclusions-'));
export function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export interface Param {
  value: string;
  version: number;
  /** ParameterType; String when absent. */
  type?: string;
  /** The Tier the last PutParameter asked for. */
  tier?: string;
}

/**
 * SSM per account: GetParameter/PutParameter act on a map keyed by the account the client
 * is in; an account without an entry has no parameter (ParameterNotFound).
 */
export function fakeParameters(mocks: AwsMocks, params: Map<string, Param>): void {
  mocks.ssm.on(GetParameterCommand).callsFake(async (input: { Name: string }, getClient) => {
    const account = await accountOf(getClient);
    const p = params.get(account);
    if (!p) throw awsError('ParameterNotFound', `Parameter ${input.Name} not found.`);
    return { Parameter: { Name: input.Name, Value: p.value, Version: p.version, Type: p.type ?? 'String' } };
  });
  mocks.ssm
    .on(PutParameterCommand)
    .callsFake(
      async (input: { Value: string; Overwrite?: boolean; Type?: string; Tier?: string }, getClient) => {
        const account = await accountOf(getClient);
        const p = params.get(account);
        if (p && !input.Overwrite) throw awsError('ParameterAlreadyExists');
        // As SSM: an existing parameter cannot change type; leaving Type out keeps it.
        const type = p?.type ?? 'String';
        if (p && input.Type !== undefined && input.Type !== type)
          throw awsError(
            'HierarchyTypeMismatchException',
            'Parameter Store does not support changing a parameter type.',
          );
        const next = {
          value: input.Value,
          version: (p?.version ?? 0) + 1,
          ...(p?.type ? { type: p.type } : {}),
          ...(input.Tier ? { tier: input.Tier } : {}),
        };
        params.set(account, next);
        return { Version: next.version, Tier: 'Standard' };
      },
    );
}

export const CUSTOM_LAMBDA = { Owner: 'CUSTOM_LAMBDA' as const };

/** Our rule in the current account, reading the exclusion list from `parameterName`. */
export function ruleInAccount(mocks: AwsMocks, parameterName: string): void {
  mocks.config.on(DescribeConfigRulesCommand).resolves({
    ConfigRules: [
      { ConfigRuleName: 'some-other-rule', InputParameters: '{}', Source: CUSTOM_LAMBDA },
      {
        ConfigRuleName: CONFIG_RULE_NAME,
        Source: CUSTOM_LAMBDA,
        InputParameters: JSON.stringify({
          [RULE_PARAMETER_KEYS.maxAgeDays]: '90',
          [RULE_PARAMETER_KEYS.exclusionParameterName]: parameterName,
        }),
      },
    ],
  });
}

export function putsFor(mocks: AwsMocks) {
  return mocks.ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input);
}

export let mocks: AwsMocks;

/** Fresh SDK mocks for each test of the file that calls it. */
export function useMocks(): void {
  beforeEach(() => {
    mocks = mockAws();
    organizationAccounts(mocks, [
      ['111111111111', 'workloads'],
      ['222222222222', 'sandbox'],
      ['444444444444', 'closed', 'SUSPENDED'],
    ]);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
}
