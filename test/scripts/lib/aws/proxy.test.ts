import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createProxy } from 'proxy';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAwsClients } from '../../../../scripts/lib/aws/clients';
import { proxyConfigured, proxyRequestHandler } from '../../../../scripts/lib/aws/proxy';

/**
 * A real HTTP proxy on 127.0.0.1 (the `proxy` package) that records each CONNECT and refuses it
 * with 407, so nothing leaves the machine and the SDK call fails at once. The SDK clients are the
 * CLI's own (createAwsClients), with fake static credentials from the environment.
 */
const connects: string[] = [];
const server = createProxy(createServer());
server.authenticate = () => false;
server.on('connect', (request) => connects.push(request.url ?? ''));
let proxyUrl = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  connects.length = 0;
  vi.unstubAllEnvs();
});

/** A loopback port nothing listens on: bound, then released. */
async function closedLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function givenEnvironment(proxy: Record<string, string>): void {
  for (const name of [
    'HTTPS_PROXY',
    'https_proxy',
    'HTTP_PROXY',
    'http_proxy',
    'NO_PROXY',
    'no_proxy',
    'ALL_PROXY',
    'AWS_ENDPOINT_URL_STS',
  ])
    vi.stubEnv(name, undefined);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLEEXAMPLE01');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'fake-secret');
  vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
  for (const [name, value] of Object.entries(proxy)) vi.stubEnv(name, value);
}

describe('proxy support (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)', () => {
  it('sends an SDK call through HTTPS_PROXY: the proxy sees CONNECT for the AWS endpoint', async () => {
    // Arrange
    givenEnvironment({ HTTPS_PROXY: proxyUrl });
    const clients = createAwsClients({ region: 'eu-west-1' });
    // Act: the proxy refuses, so the call fails; that it was asked is the point.
    const call = clients.sts.send(new GetCallerIdentityCommand({}));
    // Assert
    await expect(call).rejects.toThrow();
    expect(connects).toEqual(['sts.eu-west-1.amazonaws.com:443']);
  }, 15_000);

  it('honours the lowercase https_proxy too', async () => {
    givenEnvironment({ https_proxy: proxyUrl });
    await expect(
      createAwsClients({ region: 'us-east-2' }).sts.send(new GetCallerIdentityCommand({})),
    ).rejects.toThrow();
    expect(connects).toEqual(['sts.us-east-2.amazonaws.com:443']);
  }, 15_000);

  it('goes direct for a host NO_PROXY covers: the proxy sees nothing', async () => {
    // Arrange: STS's endpoint is a closed loopback port, so the direct attempt is refused at once.
    const closed = await closedLoopbackPort();
    givenEnvironment({
      HTTPS_PROXY: proxyUrl,
      NO_PROXY: 'localhost,127.0.0.1,.amazonaws.com',
      AWS_ENDPOINT_URL_STS: `https://127.0.0.1:${closed}`,
    });
    const clients = createAwsClients({ region: 'eu-west-1' });
    // Act
    const call = clients.sts.send(new GetCallerIdentityCommand({}));
    // Assert
    await expect(call).rejects.toThrow(/ECONNREFUSED/);
    expect(connects).toEqual([]);
  }, 15_000);

  it('without NO_PROXY the same loopback endpoint goes through the proxy (the control case)', async () => {
    const closed = await closedLoopbackPort();
    givenEnvironment({ HTTPS_PROXY: proxyUrl, AWS_ENDPOINT_URL_STS: `https://127.0.0.1:${closed}` });
    await expect(
      createAwsClients({ region: 'eu-west-1' }).sts.send(new GetCallerIdentityCommand({})),
    ).rejects.toThrow();
    expect(connects).toEqual([`127.0.0.1:${closed}`]);
  }, 15_000);

  it('uses the same proxy handler for every client, member clients included', async () => {
    // Arrange
    givenEnvironment({ HTTPS_PROXY: proxyUrl });
    const clients = createAwsClients({ region: 'eu-west-1' });
    const handler = clients.sts.config.requestHandler;
    // Assert
    for (const client of [
      clients.organizations,
      clients.config,
      clients.cloudFormation,
      clients.ssm,
      clients.iam,
    ])
      expect(client.config.requestHandler).toBe(handler);
    expect(handler?.constructor.name).toBe('NodeHttpHandler');
    // Member clients (after AssumeRole) and the STS client that assumes share it too.
    const sts = mockClient(STSClient);
    try {
      sts
        .on(GetCallerIdentityCommand)
        .resolves({ Account: '333333333333', Arn: 'arn:aws:iam::333333333333:user/op' });
      sts.on(AssumeRoleCommand).resolves({
        Credentials: {
          AccessKeyId: 'ASIAX',
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: new Date(),
        },
      });
      const member = await clients.member('111111111111');
      expect(member.ssm.config.requestHandler).toBe(handler);
      expect(member.config.config.requestHandler).toBe(handler);
    } finally {
      sts.restore();
    }
  });

  it('leaves the SDK default handler alone when no proxy variable is set', () => {
    givenEnvironment({});
    expect(proxyConfigured()).toBe(false);
    expect(proxyRequestHandler()).toBeUndefined();
    expect(proxyConfigured({ http_proxy: 'http://proxy.example.com:3128' })).toBe(true);
  });
});
