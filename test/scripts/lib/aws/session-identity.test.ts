import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AssumeRoleError, createAwsClients } from '../../../../scripts/lib/aws/clients';
import {
  CallerIdentityNameError,
  callerNameOf,
  roleSessionNameFor,
  SOURCE_IDENTITY_ENV,
  sanitizeSourceIdentity,
  sourceIdentityFor,
} from '../../../../scripts/lib/aws/session-identity';
import { awsError } from '../../../support/harness';

const sts = mockClient(STSClient);
afterEach(() => {
  sts.reset();
  vi.unstubAllEnvs();
});

const CREDENTIALS = {
  Credentials: { AccessKeyId: 'ASIAX', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date() },
};

function callerIs(arn: string): void {
  sts.on(GetCallerIdentityCommand).resolves({ Account: '333333333333', Arn: arn });
}

describe('the operator in member CloudTrail (AssumeRole input)', () => {
  it('sends the IAM Identity Center session (an e-mail) as SourceIdentity and in the session name', async () => {
    // Given
    vi.stubEnv(SOURCE_IDENTITY_ENV, undefined);
    callerIs('arn:aws:sts::333333333333:assumed-role/AWSReservedSSO_IamUnused_0123abcd/jane.doe@example.com');
    sts.on(AssumeRoleCommand).resolves(CREDENTIALS);
    // When
    const clients = createAwsClients({ region: 'eu-west-1' });
    await clients.member('111111111111');
    await clients.member('222222222222');
    // Then
    const inputs = sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input);
    expect(inputs).toHaveLength(2);
    for (const input of inputs)
      expect(input).toMatchObject({
        SourceIdentity: 'jane.doe@example.com',
        RoleSessionName: 'iam-unused-jane.doe@example.com',
      });
  });

  it('uses the user name of an IAM user', async () => {
    // Given
    vi.stubEnv(SOURCE_IDENTITY_ENV, undefined);
    callerIs('arn:aws:iam::333333333333:user/ops/alice');
    sts.on(AssumeRoleCommand).resolves(CREDENTIALS);
    // When
    await createAwsClients({ region: 'eu-west-1' }).member('111111111111');
    // Then
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toMatchObject({
      SourceIdentity: 'alice',
      RoleSessionName: 'iam-unused-alice',
    });
  });

  it('passes the SourceIdentity the operator set, which STS requires when their session already has one', async () => {
    // Given
    vi.stubEnv(SOURCE_IDENTITY_ENV, 'jane');
    callerIs('arn:aws:sts::333333333333:assumed-role/Admin/botocore-session-1');
    sts.on(AssumeRoleCommand).resolves(CREDENTIALS);
    // When
    await createAwsClients({ region: 'eu-west-1' }).member('111111111111');
    // Then
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toMatchObject({
      SourceIdentity: 'jane',
      RoleSessionName: 'iam-unused-jane',
    });
  });

  it('on AccessDenied names the trust setting and the SourceIdentity variable', async () => {
    // Given
    vi.stubEnv(SOURCE_IDENTITY_ENV, undefined);
    callerIs('arn:aws:sts::333333333333:assumed-role/Admin/jane');
    sts
      .on(AssumeRoleCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform sts:SetSourceIdentity'));
    // When
    const failure = createAwsClients({ region: 'eu-west-1' }).member('111111111111');
    // Then
    await expect(failure).rejects.toThrow(AssumeRoleError);
    await expect(failure).rejects.toThrow('exclusionsAdminPrincipalArns');
    await expect(failure).rejects.toThrow(SOURCE_IDENTITY_ENV);
  });

  it('refuses to assume anything as the account root (no operator name to record)', async () => {
    // Given
    vi.stubEnv(SOURCE_IDENTITY_ENV, undefined);
    callerIs('arn:aws:iam::333333333333:root');
    // When
    const failure = createAwsClients({ region: 'eu-west-1' }).member('111111111111');
    // Then
    await expect(failure).rejects.toThrow(CallerIdentityNameError);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });
});

describe('session identity, pure', () => {
  it('replaces characters STS refuses, cuts to 64 and pads to 2', () => {
    expect(sanitizeSourceIdentity('Jane Doe (ops)')).toBe('Jane-Doe--ops-');
    expect(sanitizeSourceIdentity('x'.repeat(80))).toHaveLength(64);
    expect(sanitizeSourceIdentity('j')).toBe('j-');
    expect(sanitizeSourceIdentity('a+b=c,d.e@f_g-h')).toBe('a+b=c,d.e@f_g-h');
  });

  it('reads the operator name from assumed-role, user and federated-user ARNs', () => {
    expect(callerNameOf('arn:aws-cn:sts::333333333333:assumed-role/Admin/jane')).toBe('jane');
    expect(callerNameOf('arn:aws:iam::333333333333:user/bob')).toBe('bob');
    expect(callerNameOf('arn:aws:sts::333333333333:federated-user/carol')).toBe('carol');
    expect(() => callerNameOf('arn:aws:iam::333333333333:root')).toThrow(CallerIdentityNameError);
  });

  it('keeps the session name within 64 characters and starting with iam-unused-', () => {
    const identity = sourceIdentityFor('arn:aws:iam::333333333333:user/bob', 'y'.repeat(64));
    const name = roleSessionNameFor(identity);
    expect(name).toHaveLength(64);
    expect(name.startsWith('iam-unused-')).toBe(true);
    expect(sourceIdentityFor('arn:aws:iam::333333333333:user/bob', '  ')).toBe('bob');
  });
});
