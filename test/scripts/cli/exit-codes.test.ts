import { GetAggregateComplianceDetailsByConfigRuleCommand } from '@aws-sdk/client-config-service';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../../../scripts/lib/terminal/exit-codes';
import {
  type AwsMocks,
  awsError,
  mockAws,
  organizationAccounts,
  runCli,
  totalCalls,
} from '../../support/harness';
import { evaluationResults } from '../../support/report-fixture';
import { fakeParameters, file } from '../commands/exclusions/fixture';
import { givenMixedSnapshot, givenSnapshot, user } from '../commands/preview/fixture';
import { givenFixtureOrganization } from '../commands/report/fixture';
import { ADMIN, install as installOrganization } from '../commands/rollout/fixture';
import { HEALTHY_PAIR, installHeartbeats, install as installStatus, MIXED } from '../commands/status/fixture';

/**
 * The one exit-code table, command by command: 0 nothing to revoke, 1 findings, 2 usage or input
 * error before any AWS call, 3 AWS or runtime failure. Each row is a real run through main().
 */

afterEach(() => vi.unstubAllEnvs());

/** Expired credentials on every call but the ones a fixture answers: the run fails as a whole. */
function expiredEverywhere(mocks: AwsMocks): void {
  for (const stub of mocks.all)
    stub
      .onAnyCommand()
      .rejects(awsError('ExpiredTokenException', 'The security token included in the request is expired'));
}

async function expectFailure(args: string[], mocks: AwsMocks): Promise<void> {
  const { code, stdout, stderr } = await runCli(args);
  expect(code).toBe(EXIT.failure);
  expect(stdout).toBe('');
  expect(stderr.trim().split('\n').at(-1)).toMatch(/^iam-unused: AWS credentials expired: .* — for SSO run/);
  expect(totalCalls(mocks)).toBeGreaterThan(0);
}

async function expectUsage(args: string[], mocks?: AwsMocks): Promise<void> {
  const { code, stdout, stderr } = await runCli(args);
  expect(code).toBe(EXIT.usage);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/^iam-unused: [^\n]+ — [^\n]+\n$/);
  if (mocks) expect(totalCalls(mocks)).toBe(0);
}

describe('exit codes: preview (offline, so never 3 unless a bug)', () => {
  const ok = ['--max-age', '30', '--now', '2025-08-27T03:00:00Z'];
  it('0: every user compliant', async () => {
    const compliant = givenSnapshot('exit-0.json', [user()]);
    expect((await runCli(['preview', '--snapshot', compliant, ...ok])).code).toBe(EXIT.ok);
  });
  it('1: a user to revoke', async () => {
    expect((await runCli(['preview', '--snapshot', givenMixedSnapshot(), ...ok])).code).toBe(EXIT.findings);
  });
  it.each([
    [['--max-age', '0']],
    [['--max-age', '30', '--now', '1970-01-01T00:00:00Z']],
    [['--max-age', '30', '--now', '2005-12-31T23:59:59Z']],
    [['--max-age', '30', '--now', '2025-08-28T03:00:01Z']],
  ])('2: %j', async (args) => {
    await expectUsage(['preview', '--snapshot', givenMixedSnapshot(), ...args]);
  });
  it('accepts --now at both ends of 2006-01-01 .. now + 1 day', async () => {
    const snapshot = givenSnapshot('exit-0-ends.json', [user({ createDate: '2005-06-01T00:00:00Z' })]);
    for (const now of ['2006-01-01T00:00:00Z', '2025-08-28T03:00:00Z'])
      expect((await runCli(['preview', '--snapshot', snapshot, '--max-age', '30', '--now', now])).code).toBe(
        EXIT.ok,
      );
    const { stderr } = await runCli([
      'preview',
      '--snapshot',
      snapshot,
      '--max-age',
      '30',
      '--now',
      '1970-01-01T00:00:00Z',
    ]);
    expect(stderr).toContain(
      '--now is outside the instants a credential can be judged at: 1970-01-01T00:00:00Z — give an instant from 2006-01-01T00:00:00.000Z',
    );
  });
});

describe('exit codes: rollout', () => {
  it('0: everything done', async () => {
    const mocks = mockAws();
    installOrganization(mocks, { trusted: [], admins: {} });
    const all = await runCli(['rollout', '--delegated-admin', ADMIN]);
    expect(all.code).toBe(EXIT.ok);
  });
  it('1: a blocked step', async () => {
    const mocks = mockAws();
    installOrganization(mocks, { featureSet: 'CONSOLIDATED_BILLING' });
    expect((await runCli(['rollout', '--delegated-admin', ADMIN])).code).toBe(EXIT.findings);
  });
  it('2: bad usage, no AWS call', async () => {
    const mocks = mockAws();
    await expectUsage(['rollout', '--delegated-admin', '2222'], mocks);
  });
  it('3: credentials fail', async () => {
    const mocks = mockAws();
    expiredEverywhere(mocks);
    await expectFailure(['rollout', '--delegated-admin', ADMIN], mocks);
  });
});

describe('exit codes: status', () => {
  it('0: every account healthy, 1: an account not healthy', async () => {
    let mocks = mockAws();
    installStatus(mocks, HEALTHY_PAIR);
    installHeartbeats({}, mocks);
    expect((await runCli(['status'])).code).toBe(EXIT.ok);
    mocks = mockAws();
    installStatus(mocks, MIXED);
    expect((await runCli(['status'])).code).toBe(EXIT.findings);
  });
  it('2: bad usage, no AWS call', async () => {
    await expectUsage(['status', '--concurrency', '0'], mockAws());
  });
  it('3: credentials fail', async () => {
    const mocks = mockAws();
    expiredEverywhere(mocks);
    await expectFailure(['status'], mocks);
  });
});

describe('exit codes: report', () => {
  it('0: nothing non-compliant, 1: a user to revoke', async () => {
    const mocks = givenFixtureOrganization();
    expect((await runCli(['report'])).code).toBe(EXIT.findings);
    mocks.config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand)
      .callsFake((input: { AccountId: string }) => ({
        AggregateEvaluationResults: evaluationResults(input.AccountId).filter(
          (r) => r.ComplianceType === 'COMPLIANT',
        ),
      }));
    expect((await runCli(['report'])).code).toBe(EXIT.ok);
  });
  it('2: bad usage, no AWS call', async () => {
    await expectUsage(['report', '--mode', 'account', '--account', '111111111111'], mockAws());
  });
  it('3: credentials fail', async () => {
    const mocks = mockAws();
    expiredEverywhere(mocks);
    await expectFailure(['report'], mocks);
  });
});

describe('exit codes: exclusions', () => {
  function organization(): AwsMocks {
    const mocks = mockAws();
    organizationAccounts(mocks, [['111111111111', 'workloads']]);
    fakeParameters(mocks, new Map([['111111111111', { value: 'breakglass', version: 1 }]]));
    return mocks;
  }
  it('0: every account listed, 1: an account of the file is outside the organization', async () => {
    organization();
    expect((await runCli(['exclusions', 'list'])).code).toBe(EXIT.ok);
    const outsider = file('exit-1.yaml', 'accounts:\n  "555555555555": [alice]\n');
    expect((await runCli(['exclusions', 'sync', '--file', outsider])).code).toBe(EXIT.findings);
  });
  it('2: bad usage, no AWS call', async () => {
    await expectUsage(['exclusions', 'add', 'alice'], organization());
  });
  it('3: credentials fail', async () => {
    const mocks = mockAws();
    expiredEverywhere(mocks);
    await expectFailure(['exclusions', 'list'], mocks);
  });
});
