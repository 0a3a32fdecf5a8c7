import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXCLUSIONS_ROLE_NAME } from '../../../../conformance-pack/names';
import {
  AssumeRoleError,
  clientConfig,
  createAwsClients,
  exclusionsRoleArn,
} from '../../../../scripts/lib/aws/clients';
import { awsError } from '../../../support/harness';

const sts = mockClient(STSClient);
afterEach(() => {
  sts.reset();
  vi.unstubAllEnvs();
});

describe('createAwsClients', () => {
  it('passes --region and adaptive retries to every client', async () => {
    const clients = createAwsClients({ region: 'eu-central-1', profile: 'admin' });
    expect(await clients.ssm.config.region()).toBe('eu-central-1');
    expect(await clients.organizations.config.region()).toBe('eu-central-1');
    const strategy = await clients.config.config.retryStrategy();
    expect((strategy as { mode?: string }).mode).toBe('adaptive');
    expect(clients.ssm).toBe(clients.ssm);
  });

  it('assumes the exclusions role in the caller partition, once per account', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '333333333333', Arn: 'arn:aws-cn:iam::333333333333:user/op' });
    sts.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'ASIAX', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date() },
    });
    const clients = createAwsClients({ region: 'cn-north-1' });
    const a = await clients.member('111111111111');
    const b = await clients.member('111111111111');
    expect(a).toBe(b);
    expect(a.ssm).toBeInstanceOf(SSMClient);
    expect((await a.ssm.config.credentials()).accessKeyId).toBe('ASIAX');
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([
      `arn:aws-cn:iam::111111111111:role/${EXCLUSIONS_ROLE_NAME}`,
    ]);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });

  it('member clients act in the region of --profile, not the default profile (no --region)', async () => {
    // Regression: member clients dropped the profile, so their region came from the default
    // profile; exclusions were then written where the evaluator never reads them.
    const dir = mkdtempSync(join(tmpdir(), 'iam-unused-profile-'));
    const configFile = join(dir, 'config');
    writeFileSync(configFile, '[default]\nregion = us-east-1\n[profile admin]\nregion = eu-central-1\n');
    vi.stubEnv('AWS_CONFIG_FILE', configFile);
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_DEFAULT_REGION', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '333333333333', Arn: 'arn:aws:iam::333333333333:user/op' });
    sts.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'ASIAX', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date() },
    });
    const clients = createAwsClients({ profile: 'admin' });
    expect(await clients.ssm.config.region()).toBe('eu-central-1');
    const member = await clients.member('111111111111');
    expect(await member.ssm.config.region()).toBe('eu-central-1');
    expect(await member.config.config.region()).toBe('eu-central-1');
  });

  it('names the role and the cause when AssumeRole is denied', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '333333333333', Arn: 'arn:aws:iam::333333333333:user/op' });
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'not authorized'));
    const clients = createAwsClients({ region: 'eu-west-1' });
    const failure = clients.member('222222222222');
    await expect(failure).rejects.toThrow(AssumeRoleError);
    await expect(failure).rejects.toThrow(exclusionsRoleArn('aws', '222222222222'));
    await expect(failure).rejects.toThrow('AccessDenied: not authorized');
  });

  it('refuses an AssumeRole answer without credentials', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '333333333333', Arn: 'arn:aws:iam::333333333333:user/op' });
    sts.on(AssumeRoleCommand).resolves({});
    await expect(createAwsClients({ region: 'eu-west-1' }).member('222222222222')).rejects.toThrow(
      'returned no credentials',
    );
  });

  it('retries 8 times unless AWS_MAX_ATTEMPTS says otherwise, as in the aws cli', () => {
    expect(clientConfig({}, {}).maxAttempts).toBe(8);
    expect(clientConfig({}, { AWS_MAX_ATTEMPTS: '2' }).maxAttempts).toBe(2);
    expect(clientConfig({}, { AWS_MAX_ATTEMPTS: 'lots' }).maxAttempts).toBe(8);
    expect(clientConfig({}, { AWS_MAX_ATTEMPTS: '0' }).maxAttempts).toBe(8);
  });

  it('adds a proxy request handler only when a proxy variable is set', () => {
    expect(clientConfig({ region: 'eu-west-1' }, {}).requestHandler).toBeUndefined();
    expect(
      clientConfig({ region: 'eu-west-1' }, { HTTPS_PROXY: 'http://127.0.0.1:3128' }).requestHandler,
    ).toBeDefined();
  });
});
