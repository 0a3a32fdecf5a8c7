import { afterEach, beforeEach, vi } from 'vitest';
import { type AwsMocks, mockAws, organizationAccounts, runCli } from '../../../support/harness';
import { FIXTURE_ACCOUNTS, mockAggregator } from '../../../support/report-fixture';

/** Shared builders for the `iam-unused report` scenario tests. */

/** The `report --output json` document, as far as the tests read it. */
export interface JsonReport {
  accounts: { accountId: string; users: number; nonCompliant: number; excluded: number; error?: string }[];
  users: {
    accountId: string;
    userName: string;
    userId: string;
    compliance: string;
    excluded: boolean;
    recordedAt: string;
  }[];
  revokedNext: {
    userName: string;
    daysLeft: number;
    ageDays: number;
    limitDays: number;
    credential: string;
  }[];
}

/** The fixture organization (workloads and the sandbox account) behind a mocked aggregator. */
export function givenFixtureOrganization(): AwsMocks {
  const mocks = mockAws();
  organizationAccounts(mocks, [
    ['111111111111', 'workloads'],
    ['222222222222', FIXTURE_ACCOUNTS['222222222222']?.name ?? ''],
  ]);
  mockAggregator(mocks);
  return mocks;
}

/** Registers the fixture organization before each test of the file; `mocks` is that test's. */
export function useFixtureOrganization(): { readonly mocks: AwsMocks } {
  const fixture = {} as { mocks: AwsMocks };
  beforeEach(() => {
    fixture.mocks = givenFixtureOrganization();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  return fixture;
}

/** The two fixture accounts plus `extra` in the organization listing. */
export function givenOrganizationWith(mocks: AwsMocks, extra: readonly [string, string]): void {
  organizationAccounts(mocks, [['111111111111', 'workloads'], ['222222222222', 'sandbox'], extra]);
}

/** Runs `iam-unused report --output json` with these arguments. */
export async function jsonReport(args: string[] = []) {
  const run = await runCli(['report', '--output', 'json', ...args]);
  return { ...run, report: JSON.parse(run.stdout) as JsonReport };
}
