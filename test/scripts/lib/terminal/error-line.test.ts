import { describe, expect, it } from 'vitest';
import { describeError } from '../../../../scripts/lib/terminal/error-line';

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

describe('describeError', () => {
  it('tells how to give a region when the SDK has none', () => {
    // Act
    const line = describeError(new Error('Region is missing'));
    // Assess
    expect(line).toBe(
      'error: Region is missing. Pass --region (e.g. --region eu-west-1), or set a region in the profile or AWS_REGION.',
    );
  });

  it('tells how to get credentials when the provider chain finds none', () => {
    // Act
    const line = describeError(
      named('CredentialsProviderError', 'Could not load credentials from any providers'),
    );
    // Assess
    expect(line).toMatch(
      /^CredentialsProviderError: Could not load credentials from any providers\. Pass --profile/,
    );
    expect(line).toContain('aws sso login --profile NAME');
  });

  it('tells how to renew expired credentials', () => {
    // Act
    const line = describeError(
      named('ExpiredTokenException', 'The security token included in the request is expired'),
    );
    // Assess
    expect(line).toContain('The credentials have expired');
  });

  it('leaves other errors as name and message on one line', () => {
    // Act
    const line = describeError(named('AccessDeniedException', 'not authorized'));
    // Assess
    expect(line).toBe('AccessDeniedException: not authorized');
    expect(describeError('boom')).toBe('error: boom');
  });
});
