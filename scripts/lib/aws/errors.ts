/** Small helpers to name AWS SDK errors in one line (the SDK puts the error code in `name`). */

import { errorName as awsErrorName, errorMessage } from '../../../evaluator/error-text';

export { awsErrorName };

export function isAwsError(error: unknown, ...names: readonly string[]): boolean {
  const name = awsErrorName(error);
  return name !== undefined && names.includes(name);
}

/** Throttling left over after the SDK's own adaptive retries gave up. */
export function isThrottling(error: unknown): boolean {
  return isAwsError(
    error,
    'ThrottlingException',
    'Throttling',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'ThrottledException',
  );
}

/** "Name: message" for a result row; adds the fix for the two failures operators meet most. */
export function describeFailure(error: unknown): string {
  const name = awsErrorName(error);
  const message = errorMessage(error);
  const text = name && name !== 'Error' && !message.startsWith(name) ? `${name}: ${message}` : message;
  if (isThrottling(error)) return `${text} (throttled after retries; rerun later or lower --concurrency)`;
  if (isAwsError(error, 'AccessDenied', 'AccessDeniedException'))
    return `${text} (check the role's permissions in that account)`;
  return text;
}
