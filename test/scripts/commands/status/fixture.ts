import { ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeConfigRuleEvaluationStatusCommand,
  DescribeConfigRulesCommand,
  DescribeOrganizationConformancePacksCommand,
  DescribeRemediationExecutionStatusCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
} from '@aws-sdk/client-config-service';
import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { GetParameterCommand, GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, vi } from 'vitest';
import {
  DEFAULT_EXCLUSION_PARAMETER_NAME,
  memberConformancePackPrefix,
  memberRuleNamePrefix,
  ORG_CONFORMANCE_PACK_NAME,
} from '../../../../conformance-pack/names';
import { formatHeartbeat, HEARTBEAT_PARAMETER_NAME, type Heartbeat } from '../../../../evaluator/heartbeat';
import {
  type AccountSpec,
  type AwsMocks,
  accountOf,
  awsError,
  CALLER_ACCOUNT,
  mockAws,
  organizationAccounts,
  runCli,
} from '../../../support/harness';

/** Shared builders for the `iam-unused status` scenario tests: an organization described per account. */

export const MANAGEMENT = '555555555555';
export const OK_TIME = new Date('2025-08-27T01:00:00Z');

export interface Fixture {
  accounts: AccountSpec[];
  /** account -> [Status, DetailedStatus] */
  instances: Record<string, [string, string]>;
  /** account -> [Status, ErrorCode?, ErrorMessage?] */
  packs: Record<string, [string, string?, string?]>;
  /** account -> evaluation status */
  rules: Record<string, { ok?: Date; failed?: Date; code?: string; message?: string }>;
  /** account -> latest remediation execution per user (none when absent) */
  remediations?: Record<string, Remediation[]>;
  /** The pack's ExcludedAccounts. @default [MANAGEMENT], as the deployment always lists it */
  excluded?: string[];
}

export interface Remediation {
  state: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';
  at: Date;
  message?: string;
}

export const ASSUME_ROLE_ERROR =
  'Step fails when it is Verifying the defined assume role. The defined assume role is unable to be assumed.';

/** DescribeRemediationExecutionStatus in pages of Limit (at most 100), checked against the rule name. */
export function installRemediations(
  mocks: AwsMocks,
  ruleNameOf: (account: string) => string,
  remediations: Record<string, Remediation[]>,
): void {
  mocks.config
    .on(DescribeRemediationExecutionStatusCommand)
    .callsFake(async (input: { ConfigRuleName: string; Limit?: number; NextToken?: string }, getClient) => {
      const account = await accountOf(getClient);
      if (input.ConfigRuleName !== ruleNameOf(account)) throw new Error('wrong rule');
      if ((input.Limit ?? 0) > 100) throw awsError('InvalidParameterValueException');
      const all = (remediations[account] ?? []).map((r, i) => ({
        ResourceKey: { resourceType: 'AWS::IAM::User', resourceId: `AIDA${String(i).padStart(5, '0')}` },
        State: r.state,
        InvocationTime: r.at,
        LastUpdatedTime: r.at,
        StepDetails:
          r.state === 'FAILED'
            ? [
                { Name: 'verifyRole', State: 'FAILED', ...(r.message ? { ErrorMessage: r.message } : {}) },
                { Name: 'revoke', State: 'PENDING' },
              ]
            : [{ Name: 'revoke', State: r.state === 'SUCCEEDED' ? 'SUCCEEDED' : 'PENDING' }],
      }));
      const start = Number(input.NextToken ?? 0);
      const end = start + (input.Limit ?? 100);
      return {
        RemediationExecutionStatuses: all.slice(start, end),
        ...(end < all.length ? { NextToken: String(end) } : {}),
      };
    });
}

export function install(mocks: AwsMocks, f: Fixture, pageSize = 50): void {
  organizationAccounts(mocks, f.accounts);
  // The reconciler has put the pack and reports no account (test/scripts/commands/status/reconciler.test.ts varies it).
  mocks.ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
  mocks.organizations
    .on(DescribeOrganizationCommand)
    .resolves({ Organization: { MasterAccountId: MANAGEMENT } });
  const instances = Object.entries(f.instances).map(([Account, [Status, DetailedStatus]]) => ({
    Account,
    Region: 'eu-west-1',
    Status,
    StackInstanceStatus: { DetailedStatus },
    ...(Status === 'CURRENT' ? {} : { StatusReason: 'Account 1 should have ...' }),
  }));
  const excluded = f.excluded ?? [MANAGEMENT];
  mocks.config
    .on(DescribeOrganizationConformancePacksCommand)
    .callsFake(async (input: { OrganizationConformancePackNames?: string[] }, getClient) => {
      if (input.OrganizationConformancePackNames?.[0] !== ORG_CONFORMANCE_PACK_NAME)
        throw new Error('wrong pack');
      // The delegated admin's own call: no role is assumed for it.
      if ((await accountOf(getClient)) !== CALLER_ACCOUNT)
        throw awsError('OrganizationAccessDeniedException');
      return {
        OrganizationConformancePacks: [
          {
            OrganizationConformancePackName: ORG_CONFORMANCE_PACK_NAME,
            OrganizationConformancePackArn: 'arn',
            LastUpdateTime: OK_TIME,
            ExcludedAccounts: excluded,
          },
        ],
      };
    });
  mocks.cloudFormation.on(ListStackInstancesCommand).callsFake((input: { NextToken?: string }) => {
    const start = Number(input.NextToken ?? 0);
    const end = start + pageSize;
    return {
      Summaries: instances.slice(start, end),
      ...(end < instances.length ? { NextToken: String(end) } : {}),
    };
  });
  const packs = Object.entries(f.packs).map(([AccountId, [Status, ErrorCode, ErrorMessage]]) => ({
    AccountId,
    ConformancePackName: `${memberConformancePackPrefix()}abc`,
    Status,
    ...(ErrorCode ? { ErrorCode } : {}),
    ...(ErrorMessage ? { ErrorMessage } : {}),
  }));
  mocks.config
    .on(GetOrganizationConformancePackDetailedStatusCommand)
    .callsFake((input: { NextToken?: string; Limit?: number }) => {
      if ((input.Limit ?? 0) > 100) throw awsError('InvalidLimitException');
      const start = Number(input.NextToken ?? 0);
      const end = start + (input.Limit ?? 100);
      return {
        OrganizationConformancePackDetailedStatuses: packs.slice(start, end),
        ...(end < packs.length ? { NextToken: String(end) } : {}),
      };
    });
  mocks.config.on(DescribeConfigRulesCommand).callsFake(async (_input, getClient) => {
    const account = await accountOf(getClient);
    return {
      ConfigRules: f.rules[account]
        ? [{ ConfigRuleName: 'other' }, { ConfigRuleName: `${memberRuleNamePrefix()}${account.slice(0, 4)}` }]
        : [{ ConfigRuleName: 'other' }],
    };
  });
  mocks.config
    .on(DescribeConfigRuleEvaluationStatusCommand)
    .callsFake(async (input: { ConfigRuleNames: string[] }, getClient) => {
      const account = await accountOf(getClient);
      const r = f.rules[account];
      if (input.ConfigRuleNames[0] !== `${memberRuleNamePrefix()}${account.slice(0, 4)}`)
        throw new Error('wrong rule');
      return {
        ConfigRulesEvaluationStatus: [
          {
            ConfigRuleName: input.ConfigRuleNames[0],
            ...(r?.ok ? { LastSuccessfulEvaluationTime: r.ok } : {}),
            ...(r?.failed ? { LastFailedEvaluationTime: r.failed } : {}),
            ...(r?.code ? { LastErrorCode: r.code } : {}),
            ...(r?.message ? { LastErrorMessage: r.message } : {}),
          },
        ],
      };
    });
  installRemediations(
    mocks,
    (account) => `${memberRuleNamePrefix()}${account.slice(0, 4)}`,
    f.remediations ?? {},
  );
}

/** Two accounts with both pieces and a successful evaluation. */
export const HEALTHY_PAIR: Fixture = {
  accounts: [
    ['111111111111', 'workloads'],
    ['222222222222', 'sandbox'],
  ],
  instances: { '111111111111': ['CURRENT', 'SUCCEEDED'], '222222222222': ['CURRENT', 'SUCCEEDED'] },
  packs: { '111111111111': ['CREATE_SUCCESSFUL'], '222222222222': ['CREATE_SUCCESSFUL'] },
  rules: { '111111111111': { ok: OK_TIME }, '222222222222': { ok: OK_TIME } },
};

export const MIXED: Fixture = {
  accounts: [
    ['111111111111', 'workloads'],
    ['222222222222', 'sandbox'],
    ['444444444444', 'new'],
    [MANAGEMENT, 'management'],
    ['666666666666', 'closed', 'SUSPENDED'],
    ['888888888888', 'legacy'],
  ],
  instances: {
    '111111111111': ['CURRENT', 'SUCCEEDED'],
    '222222222222': ['CURRENT', 'SUCCEEDED'],
    '444444444444': ['OUTDATED', 'FAILED'],
  },
  packs: {
    '111111111111': ['CREATE_SUCCESSFUL'],
    '222222222222': ['UPDATE_SUCCESSFUL'],
    '444444444444': [
      'CREATE_FAILED',
      'InsufficientPermissionsException',
      'The rule cannot invoke the function',
    ],
    [MANAGEMENT]: ['CREATE_SUCCESSFUL'],
    '888888888888': ['CREATE_SUCCESSFUL'],
  },
  rules: {
    '111111111111': { ok: OK_TIME },
    '222222222222': {
      ok: new Date('2025-08-26T01:00:00Z'),
      failed: OK_TIME,
      code: 'Lambda.ExclusionListUnavailableError',
      message: 'exclusion list unreadable',
    },
  },
};

export interface JsonStatus {
  accountId: string;
  scope?: string;
  healthy: boolean;
  problems: string[];
  note?: string;
  evaluator: { summary: string };
  pack: { summary: string };
  rule: { kind: string; lastSuccessfulEvaluation?: string; lastError?: string | null };
  heartbeat: { kind: string; heartbeat?: Heartbeat; error?: string };
  remediation: {
    kind: string;
    executions?: number;
    failed?: number;
    succeeded?: number;
    newestFailure?: {
      resourceId: string;
      at: string | null;
      step: string | null;
      message: string | null;
    } | null;
    error?: string;
  };
}

export async function json(args: string[] = []) {
  const run = await runCli(['status', '--output', 'json', ...args]);
  return { ...run, rows: (JSON.parse(run.stdout) as { accounts: JsonStatus[] }).accounts };
}

export let mocks: AwsMocks;

/** A heartbeat as the evaluator writes it after a successful run that ended at `time`. */
export function heartbeatAt(time: Date, overrides: Partial<Heartbeat> = {}): Heartbeat {
  return {
    schema: 1,
    time: time.toISOString(),
    ok: true,
    lastOkTime: time.toISOString(),
    ruleName: 'iam-unused-credentials-check',
    strategy: 'report-first',
    usersEvaluated: 12,
    nonCompliant: 1,
    excluded: 2,
    exclusionParameterName: DEFAULT_EXCLUSION_PARAMETER_NAME,
    exclusionParameterVersion: 3,
    unmatchedEntries: [],
    unmatchedCount: 0,
    error: null,
    ...overrides,
  };
}

/**
 * The heartbeat parameter per account: a fresh one (OK_TIME) unless `byAccount` says otherwise
 * (a heartbeat, 'missing', or an error the read fails with).
 */
export function installHeartbeats(
  byAccount: Record<string, Heartbeat | 'missing' | Error> = {},
  on: AwsMocks = mocks,
): void {
  on.ssm.on(GetParameterCommand).callsFake(async (input: { Name: string }, getClient) => {
    if (input.Name !== HEARTBEAT_PARAMETER_NAME) throw new Error(`unexpected parameter ${input.Name}`);
    const spec = byAccount[await accountOf(getClient)] ?? heartbeatAt(OK_TIME);
    if (spec === 'missing') throw awsError('ParameterNotFound', 'Parameter not found.');
    if (spec instanceof Error) throw spec;
    return { Parameter: { Name: input.Name, Type: 'String', Value: formatHeartbeat(spec), Version: 9 } };
  });
}

/** Replaces every SDK mock with a fresh one (also mid-test, to start a second scenario). */
export function freshMocks(): void {
  mocks = mockAws();
  installHeartbeats();
}

/** Fresh SDK mocks for each test of the file that calls it. */
export function useMocks(): void {
  beforeEach(freshMocks);
  afterEach(() => {
    vi.unstubAllEnvs();
  });
}
