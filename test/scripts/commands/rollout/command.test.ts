import { ActivateOrganizationsAccessCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeOrganizationCommand,
  EnableAWSServiceAccessCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListRootsCommand,
  RegisterDelegatedAdministratorCommand,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_STACK_NAME } from '../../../../conformance-pack/names';
import { ORGANIZATION_SERVICE_PRINCIPALS } from '../../../../infra/service-principals';
import { SETTING_KEYS } from '../../../../infra/setting-keys';
import {
  type AwsMocks,
  awsError,
  mockAws,
  organizationAccounts,
  runCli,
  totalCalls,
} from '../../../support/harness';

const MANAGEMENT = '555555555555';
const ADMIN = '222222222222';
const { stackSets, conformancePacks, config } = ORGANIZATION_SERVICE_PRINCIPALS;

interface OrgState {
  featureSet?: string;
  caller?: string;
  trusted?: string[];
  admins?: Partial<Record<string, string[]>>;
}

function install(mocks: AwsMocks, state: OrgState = {}): void {
  organizationAccounts(mocks, [
    [MANAGEMENT, 'management'],
    ['111111111111', 'workloads'],
    [ADMIN, 'security'],
  ]);
  mocks.sts.on(GetCallerIdentityCommand).resolves({
    Account: state.caller ?? MANAGEMENT,
    Arn: `arn:aws:iam::${state.caller ?? MANAGEMENT}:user/operator`,
  });
  mocks.organizations.on(DescribeOrganizationCommand).resolves({
    Organization: { FeatureSet: (state.featureSet ?? 'ALL') as 'ALL', MasterAccountId: MANAGEMENT },
  });
  const trusted = state.trusted ?? [];
  // Two pages: the first holds an unrelated service.
  mocks.organizations
    .on(ListAWSServiceAccessForOrganizationCommand)
    .callsFake((input: { NextToken?: string }) =>
      input.NextToken
        ? { EnabledServicePrincipals: trusted.map((ServicePrincipal) => ({ ServicePrincipal })) }
        : { EnabledServicePrincipals: [{ ServicePrincipal: 'sso.amazonaws.com' }], NextToken: 'p2' },
    );
  mocks.organizations
    .on(ListDelegatedAdministratorsCommand)
    .callsFake((input: { ServicePrincipal: string }) => ({
      DelegatedAdministrators: (state.admins?.[input.ServicePrincipal] ?? []).map((Id) => ({ Id })),
    }));
  mocks.organizations.on(ListRootsCommand).resolves({ Roots: [{ Id: 'r-ab12' }] });
}

function mutatingCalls(mocks: AwsMocks) {
  return [
    ...mocks.cloudFormation.commandCalls(ActivateOrganizationsAccessCommand).map(() => 'activate stacksets'),
    ...mocks.organizations
      .commandCalls(EnableAWSServiceAccessCommand)
      .map((c) => `enable ${c.args[0].input.ServicePrincipal}`),
    ...mocks.organizations
      .commandCalls(RegisterDelegatedAdministratorCommand)
      .map((c) => `register ${c.args[0].input.AccountId} ${c.args[0].input.ServicePrincipal}`),
  ];
}

const EXPECTED_DEPLOY = `npx cdk deploy ${ADMIN_STACK_NAME} -c mode=organization -c homeRegion=eu-west-1 -c delegatedAdminAccountId=${ADMIN} -c managementAccountId=${MANAGEMENT} -c targetOrganizationalUnitIds=r-ab12 --profile security-admin`;

let mocks: AwsMocks;
beforeEach(() => {
  mocks = mockAws();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('rollout', () => {
  it('prints the plan and changes nothing without --apply', async () => {
    install(mocks);
    const { code, stdout } = await runCli([
      'rollout',
      '--delegated-admin',
      ADMIN,
      '--deploy-profile',
      'security-admin',
      '--region',
      'eu-west-1',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/all features enabled\s+done/);
    expect(stdout).toMatch(
      new RegExp(
        `trusted access for ${stackSets}\\s+would do\\s+would call CloudFormation ActivateOrganizationsAccess`,
      ),
    );
    expect(stdout).toMatch(
      new RegExp(
        `delegated admin for ${config}\\s+would do\\s+would call RegisterDelegatedAdministrator ${ADMIN}`,
      ),
    );
    expect(stdout).toContain('Rerun with --apply');
    expect(stdout).toContain(EXPECTED_DEPLOY);
    expect(mutatingCalls(mocks)).toEqual([]);
  });

  it('with --apply enables trusted access, then registers the delegated admin, in order', async () => {
    install(mocks, { trusted: [config] });
    const { code, stdout } = await runCli([
      'rollout',
      '--delegated-admin',
      ADMIN,
      '--apply',
      '--output',
      'json',
    ]);
    expect(code).toBe(0);
    expect(mutatingCalls(mocks)).toEqual([
      'activate stacksets',
      `enable ${conformancePacks}`,
      `register ${ADMIN} ${stackSets}`,
      `register ${ADMIN} ${conformancePacks}`,
      `register ${ADMIN} ${config}`,
    ]);
    const out = JSON.parse(stdout);
    expect(out.steps.map((s: { outcome: string }) => s.outcome)).toEqual([
      'done',
      'done',
      'done',
      'applied',
      'applied',
      'done',
      'applied',
      'applied',
      'applied',
    ]);
    expect(out.deployCommand).toContain(`-c delegatedAdminAccountId=${ADMIN}`);
  });

  it('is idempotent: everything done means no change, and the admin is inferred', async () => {
    install(mocks, {
      trusted: [stackSets, conformancePacks, config],
      admins: { [stackSets]: [ADMIN], [conformancePacks]: [ADMIN], [config]: [ADMIN, '111111111111'] },
    });
    const { code, stdout } = await runCli(['rollout', '--apply', '--output', 'json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.delegatedAdmin).toBe(ADMIN);
    expect(out.steps.every((s: { outcome: string }) => s.outcome === 'done')).toBe(true);
    expect(out.steps.at(-1).detail).toContain('also registered: 111111111111; left as is');
    expect(mutatingCalls(mocks)).toEqual([]);
    expect(mocks.organizations.commandCalls(ListAWSServiceAccessForOrganizationCommand)).toHaveLength(2);
  });

  it.each([
    [{ featureSet: 'CONSOLIDATED_BILLING' }, ADMIN, 'FeatureSet CONSOLIDATED_BILLING: enable all features'],
    [{ caller: '111111111111' }, ADMIN, 'rerun with its profile'],
    [{}, MANAGEMENT, 'cannot be its own delegated administrator'],
    [{}, '444444444444', 'not an account of this organization'],
  ])(
    'a blocked prerequisite (%j, admin %s) exits 1 and changes nothing, even with --apply',
    async (state, admin, message) => {
      install(mocks, state);
      const { code, stdout } = await runCli(['rollout', '--delegated-admin', admin, '--apply']);
      expect(code).toBe(1);
      expect(stdout).toContain(message);
      expect(stdout).toContain('Blocked');
      expect(stdout).not.toContain('npx cdk deploy');
      expect(mutatingCalls(mocks)).toEqual([]);
    },
  );

  it('without --delegated-admin and no registered admin, asks for one', async () => {
    install(mocks);
    const { code, stdout } = await runCli(['rollout']);
    expect(code).toBe(1);
    expect(stdout).toContain('rerun with --delegated-admin ACCOUNT_ID');
  });

  it('stops at the first failed change and reports it (exit 1)', async () => {
    install(mocks);
    mocks.organizations
      .on(EnableAWSServiceAccessCommand)
      .rejects(awsError('AccessDeniedException', 'not allowed'));
    const { code, stdout } = await runCli(['rollout', '--delegated-admin', ADMIN, '--apply']);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /config-multiaccountsetup.amazonaws.com\s+failed\s+.*AccessDeniedException: not allowed/,
    );
    expect(stdout).toMatch(
      /delegated admin for member.org.stacksets.cloudformation.amazonaws.com\s+not attempted/,
    );
    expect(mutatingCalls(mocks)).toEqual(['activate stacksets', `enable ${conformancePacks}`]);
    expect(stdout).not.toContain('npx cdk deploy');
  });

  it('fails in one line when a read is throttled beyond the retries', async () => {
    install(mocks);
    mocks.organizations
      .on(ListDelegatedAdministratorsCommand)
      .rejects(awsError('TooManyRequestsException', 'slow down'));
    const { code, stdout, stderr } = await runCli(['rollout', '--delegated-admin', ADMIN]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('slow down');
  });

  it.each([
    [['rollout', '--delegated-admin', '2222'], '12-digit'],
    [['rollout', '--output', 'csv'], 'Allowed choices are table, json'],
    [['rollout', '--region', 'EU_WEST_1'], 'AWS region'],
    [['rollout', '--mode', 'account'], "unknown option '--mode'"],
  ])('bad usage %j exits 2 with no AWS call', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(totalCalls(mocks)).toBe(0);
  });

  it('prints a deploy command whose -c keys are all settings the CDK app reads', async () => {
    install(mocks);
    const { stdout } = await runCli(['rollout', '--delegated-admin', ADMIN, '--region', 'eu-west-1']);
    expect(stdout).toContain('npx cdk deploy');
    const keys = [...stdout.matchAll(/ -c (\w+)=/g)].map((m) => m[1]);
    expect(keys).toEqual([
      'mode',
      'homeRegion',
      'delegatedAdminAccountId',
      'managementAccountId',
      'targetOrganizationalUnitIds',
    ]);
    for (const key of keys) expect(SETTING_KEYS).toContain(key);
  });
});
