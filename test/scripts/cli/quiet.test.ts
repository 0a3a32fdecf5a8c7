import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockAws, organizationAccounts, runCli } from '../../support/harness';
import { fakeParameters } from '../commands/exclusions/fixture';
import { givenFixtureOrganization } from '../commands/report/fixture';
import { HEALTHY_PAIR, install } from '../commands/status/fixture';

/** --quiet silences the per-account progress lines; results and the exit code stay the same. */
afterEach(() => vi.unstubAllEnvs());

const PROGRESS = /^(report|status|exclusions list): \d+(\/\d+ \d{12} (ok|failed)| accounts?)$/m;

describe('--quiet', () => {
  it.each([
    ['report', () => givenFixtureOrganization(), ['report']],
    [
      'status',
      () => {
        const mocks = mockAws();
        install(mocks, HEALTHY_PAIR);
        return mocks;
      },
      ['status'],
    ],
    [
      'exclusions list',
      () => {
        const mocks = mockAws();
        organizationAccounts(mocks, [['111111111111', 'workloads']]);
        fakeParameters(mocks, new Map([['111111111111', { value: 'breakglass', version: 1 }]]));
        return mocks;
      },
      ['exclusions', 'list'],
    ],
  ])('%s: progress without it, none with -q or --quiet', async (_name, given, args) => {
    given();
    const loud = await runCli(args);
    given();
    const quiet = await runCli([...args, '--quiet']);
    given();
    const short = await runCli([...args, '-q']);
    expect(loud.stderr).toMatch(PROGRESS);
    expect(quiet.stderr).not.toMatch(PROGRESS);
    expect(short.stderr).not.toMatch(PROGRESS);
    expect(quiet.stdout).toBe(loud.stdout);
    expect(quiet.code).toBe(loud.code);
  });
});
