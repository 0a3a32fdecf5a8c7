import { errorMessage } from '../../../evaluator/error-text';
import type { Problem } from '../terminal/errors';
import { awsErrorName, isAwsError, isThrottling } from './errors';

/** Socket and DNS failures: the request never reached AWS. */
const NETWORK_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'];

const PROXY_FIX =
  'check the network; behind a proxy set HTTPS_PROXY (and NO_PROXY for hosts to reach directly)';

/**
 * The AWS and network failures every command can meet, each with its fix; undefined for other
 * errors. These all exit 3: the command line was fine, the run failed.
 */
export function awsProblem(error: unknown): Problem | undefined {
  if (!(error instanceof Error)) return undefined;
  const name = awsErrorName(error);
  const said = `${name}: ${errorMessage(error)}`;
  // The SDK's words when no region reached a client (resolveAwsOptions normally stops this first).
  if (error.message === 'Region is missing')
    return {
      what: 'no AWS region',
      value: 'none from --region, AWS_REGION, AWS_DEFAULT_REGION or the profile',
      fix: 'pass --region (e.g. --region eu-west-1) or set AWS_REGION, or add `region = eu-west-1` to the profile',
    };
  if (/ExpiredToken|TokenRefreshRequired/.test(name) || /token (has )?expired/i.test(error.message))
    return {
      what: 'AWS credentials expired',
      value: said,
      fix: 'for SSO run `aws sso login --profile NAME`, otherwise renew the credentials, then retry',
    };
  if (name === 'CredentialsProviderError')
    return {
      what: 'no usable AWS credentials',
      value: error.message,
      fix:
        'pass --profile NAME of a profile with credentials (for SSO run `aws sso login --profile NAME` first), ' +
        'or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    };
  if (isAwsError(error, 'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation'))
    return {
      what: 'AWS denied access',
      value: said,
      fix: "use the credentials of the account this command needs (see its --help), or grant the action named in AWS's message",
    };
  if (isThrottling(error))
    return {
      what: 'AWS throttled the requests after retries',
      value: said,
      fix: 'rerun later or lower --concurrency',
    };
  const code = (error as NodeJS.ErrnoException).code;
  if ((code && NETWORK_CODES.includes(code)) || name === 'TimeoutError')
    return { what: 'cannot reach AWS', value: said, fix: PROXY_FIX };
  if ('$metadata' in error)
    return {
      what: `AWS refused the request (${name})`,
      value: errorMessage(error),
      fix: 'fix what AWS names and rerun',
    };
  return undefined;
}
