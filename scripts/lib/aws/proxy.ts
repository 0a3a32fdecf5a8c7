import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ProxyAgent } from 'proxy-agent';

/** The variables the aws cli honours (proxy-from-env, inside proxy-agent, also reads NO_PROXY). */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

type Env = Readonly<Record<string, string | undefined>>;

export function proxyConfigured(env: Env = process.env): boolean {
  return PROXY_VARIABLES.some((name) => Boolean(env[name]));
}

/**
 * A request handler that sends AWS calls through the proxy the environment names, or undefined
 * (the SDK's default handler) when none is set. ProxyAgent picks the proxy per request URL, so
 * NO_PROXY hosts go direct; one agent serves http and https.
 */
export function proxyRequestHandler(env: Env = process.env): NodeHttpHandler | undefined {
  if (!proxyConfigured(env)) return undefined;
  // The SDK's own default handler keeps connections alive too; 50 sockets is its default.
  const agent = new ProxyAgent({ keepAlive: true, maxSockets: 50 });
  return new NodeHttpHandler({ httpAgent: agent, httpsAgent: agent });
}
