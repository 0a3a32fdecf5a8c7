import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProfileNotFoundError, RegionMissingError, resolveAwsOptions } from '../../../scripts/lib/aws/setup';
import { type AwsMocks, mockAws, runCli, totalCalls } from '../../support/harness';

/** Shared config files in a temp dir: [default] without a region, [profile admin] in eu-central-1. */
function givenSharedFiles(): { config: string; credentials: string } {
  const dir = mkdtempSync(join(tmpdir(), 'iam-unused-setup-'));
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  writeFileSync(config, '[default]\noutput = json\n[profile admin]\nregion = eu-central-1\n');
  writeFileSync(credentials, '[keys-only]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n');
  vi.stubEnv('AWS_CONFIG_FILE', config);
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', credentials);
  return { config, credentials };
}

let mocks: AwsMocks;
beforeEach(() => {
  mocks = mockAws();
  vi.stubEnv('AWS_REGION', undefined);
  vi.stubEnv('AWS_DEFAULT_REGION', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
});
afterEach(() => vi.unstubAllEnvs());

describe('profile and region, settled before any AWS call', () => {
  it('--profile that does not exist exits 2, names the profile and both files, no AWS call', async () => {
    // Arrange
    const files = givenSharedFiles();
    // Act
    const { code, stdout, stderr } = await runCli(['status', '--profile', 'nope']);
    // Assert
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^iam-unused: AWS profile does not exist: nope — /);
    expect(stderr).toContain(files.config);
    expect(stderr).toContain(files.credentials);
    expect(stderr).not.toContain('pass --profile');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(totalCalls(mocks)).toBe(0);
  });

  it('a missing region exits 2 with the fix, before any AWS call', async () => {
    givenSharedFiles();
    const { code, stderr } = await runCli(['report']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^iam-unused: no AWS region: .* — pass --region \(e\.g\. --region eu-west-1\)/);
    expect(totalCalls(mocks)).toBe(0);
  });

  it.each([
    [
      '--region first',
      { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' },
      { region: 'ap-south-1' },
      'ap-south-1',
    ],
    ['then AWS_REGION', { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' }, {}, 'us-east-1'],
    [
      'then AWS_DEFAULT_REGION (the JS SDK alone ignores it)',
      { AWS_DEFAULT_REGION: 'us-west-2' },
      {},
      'us-west-2',
    ],
    ["then the profile's region", {}, { profile: 'admin' }, 'eu-central-1'],
    ['AWS_PROFILE names the profile too', { AWS_PROFILE: 'admin' }, {}, 'eu-central-1'],
  ])('region: %s', async (_case, env, options, region) => {
    givenSharedFiles();
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    expect((await resolveAwsOptions(options)).region).toBe(region);
  });

  it('accepts a profile that is only in the credentials file, and refuses an unknown AWS_PROFILE', async () => {
    givenSharedFiles();
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    await expect(resolveAwsOptions({ profile: 'keys-only', region: 'eu-west-1' })).resolves.toMatchObject({
      profile: 'keys-only',
    });
    vi.stubEnv('AWS_PROFILE', 'gone');
    await expect(resolveAwsOptions({ region: 'eu-west-1' })).rejects.toThrow(ProfileNotFoundError);
    await expect(resolveAwsOptions({})).rejects.toThrow(ProfileNotFoundError);
  });

  it('with keys in the environment AWS_PROFILE is not required to exist (the SDK uses the keys)', async () => {
    givenSharedFiles();
    vi.stubEnv('AWS_PROFILE', 'gone');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    await expect(resolveAwsOptions({})).resolves.toMatchObject({ region: 'eu-west-1' });
    vi.stubEnv('AWS_REGION', undefined);
    await expect(resolveAwsOptions({})).rejects.toThrow(RegionMissingError);
  });

  it('the clients of a command get the region AWS_DEFAULT_REGION named', async () => {
    givenSharedFiles();
    vi.stubEnv('AWS_DEFAULT_REGION', 'sa-east-1');
    const { code } = await runCli(['status', '--mode', 'account', '--output', 'json']);
    const calls = mocks.all.flatMap((m) => m.calls());
    const regions = await Promise.all(calls.map((call) => call.thisValue.config.region()));
    expect(code).not.toBe(2);
    expect(regions.length).toBeGreaterThan(0);
    expect(new Set(regions)).toEqual(new Set(['sa-east-1']));
  });
});
