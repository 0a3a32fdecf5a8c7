/** One line for stderr: no stack trace, the message already names the value and the fix. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `error: ${String(error)}`;
  const line = `${error.name === 'Error' ? 'error' : error.name}: ${error.message}`;
  const hint = awsSetupHint(error);
  if (!hint) return line;
  return `${line}${/[.!?]$/.test(line) ? '' : '.'} ${hint}`;
}

/** The fix for the AWS setup problems every command can meet before its first real call. */
function awsSetupHint(error: Error): string | undefined {
  if (error.message === 'Region is missing') {
    return 'Pass --region (e.g. --region eu-west-1), or set a region in the profile or AWS_REGION.';
  }
  if (/ExpiredToken|TokenRefreshRequired/.test(error.name) || /token (has )?expired/i.test(error.message)) {
    return 'The credentials have expired: for SSO run `aws sso login --profile NAME`, then retry.';
  }
  if (error.name === 'CredentialsProviderError') {
    return (
      'Pass --profile NAME (for SSO profiles run `aws sso login --profile NAME` first) ' +
      'or set AWS credentials in the environment.'
    );
  }
  return undefined;
}
