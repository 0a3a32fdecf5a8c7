import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { AssumeRoleError } from '../../../../scripts/lib/aws/clients';
import { describeError, problemOf } from '../../../../scripts/lib/terminal/error-line';
import { UsageError } from '../../../../scripts/lib/terminal/errors';

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** Every line has the one shape: `iam-unused: <what>: <value> — <fix>`, on one line. */
const ONE_LINE = /^iam-unused: [^\n]+?: [^\n]+ — [^\n]+$/;

describe('describeError', () => {
  it('tells how to give a region when the SDK has none', () => {
    // Act
    const line = describeError(new Error('Region is missing'));
    // Assess
    expect(line).toBe(
      'iam-unused: no AWS region: none from --region, AWS_REGION, AWS_DEFAULT_REGION or the profile — pass --region (e.g. --region eu-west-1) or set AWS_REGION, or add `region = eu-west-1` to the profile',
    );
  });

  it('tells how to get credentials when the provider chain finds none', () => {
    // Act
    const line = describeError(
      named('CredentialsProviderError', 'Could not load credentials from any providers'),
    );
    // Assess
    expect(line).toMatch(
      /^iam-unused: no usable AWS credentials: Could not load credentials from any providers — pass --profile/,
    );
    expect(line).toContain('aws sso login --profile NAME');
  });

  it('tells how to renew expired credentials', () => {
    // Act
    const line = describeError(
      named('ExpiredTokenException', 'The security token included in the request is expired'),
    );
    // Assess
    expect(line).toContain('iam-unused: AWS credentials expired: ExpiredTokenException');
    expect(line).toContain('aws sso login');
  });

  it('names AWS refusals, throttling and network failures with their fix', () => {
    // Act
    const denied = describeError(named('AccessDeniedException', 'not authorized'));
    const throttled = describeError(named('ThrottlingException', 'Rate exceeded'));
    const offline = describeError(
      Object.assign(new Error('getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' }),
    );
    // Assess
    expect(denied).toMatch(/^iam-unused: AWS denied access: AccessDeniedException: not authorized — /);
    expect(throttled).toContain('— rerun later or lower --concurrency');
    expect(offline).toMatch(
      /^iam-unused: cannot reach AWS: .*ENOTFOUND sts\.eu-west-1\.amazonaws\.com — .*HTTPS_PROXY/,
    );
    expect(describeError('boom')).toBe(
      'iam-unused: unexpected error: boom — this is a bug in iam-unused: report it with the command you ran',
    );
  });

  it('prints a structured usage error exactly as given', () => {
    const error = new UsageError({
      what: '--now is out of range',
      value: '1970-01-01T00:00:00Z',
      fix: 'use a later date',
    });
    expect(describeError(error)).toBe(
      'iam-unused: --now is out of range: 1970-01-01T00:00:00Z — use a later date',
    );
  });

  it('splits an older sentence message into value and fix', () => {
    // Act
    const usage = describeError(
      new UsageError('cannot read the --snapshot file "x.json": no such file. Check the path.'),
    );
    const role = describeError(
      new AssumeRoleError(
        'Cannot assume arn:aws:iam::111111111111:role/r: AccessDenied: no. Is the member stack deployed?',
      ),
    );
    // Assess
    expect(usage).toBe(
      'iam-unused: invalid input: cannot read the --snapshot file "x.json": no such file — check the path',
    );
    expect(role).toBe(
      'iam-unused: assume role: Cannot assume arn:aws:iam::111111111111:role/r: AccessDenied: no — is the member stack deployed',
    );
  });

  it('keeps control characters and line breaks of AWS messages out of the one line', () => {
    const line = describeError(named('AccessDeniedException', 'not\nauthorized \u001b[2J'));
    expect(line).toMatch(ONE_LINE);
    expect(line).toContain('not authorized \\x1b[2J');
  });

  it.each([
    [['--bogus'], /^iam-unused: unknown option: --bogus — run `iam-unused preview --help`$/],
    [
      ['--output', 'xml'],
      /^iam-unused: invalid value for --output <format>: xml — Allowed choices are table, json$/,
    ],
    [['--max-ag', '3'], /^iam-unused: unknown option: --max-ag — did you mean --max-age\? run/],
    [['extra'], /^iam-unused: too many arguments: Expected 0 arguments but got 1 — run/],
  ])('puts commander errors %j in the same shape', (args, expected) => {
    // Arrange: a command like preview, throwing instead of exiting.
    const command = new Command('preview')
      .exitOverride()
      .configureOutput({ outputError: () => undefined })
      .option('--max-age <days>')
      .option('--output <format>', 'format');
    command.options.at(-1)?.choices(['table', 'json']);
    // Act
    let caught: unknown;
    try {
      command.parse([...args], { from: 'user' });
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(CommanderError);
    expect(describeError(caught, 'preview')).toMatch(expected);
    expect(describeError(caught, 'preview')).toMatch(ONE_LINE);
  });

  it('every kind of problem has all three parts', () => {
    for (const error of [new Error('x'), new UsageError('plain words'), named('Foo', 'bar'), 42]) {
      const problem = problemOf(error);
      expect(problem.what).not.toBe('');
      expect(problem.value).not.toBe('');
      expect(problem.fix).not.toBe('');
    }
  });
});
