import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { CredentialReportParseError } from '../../../../evaluator/errors';
import { AssumeRoleError } from '../../../../scripts/lib/aws/clients';
import { UsageError } from '../../../../scripts/lib/terminal/errors';
import { EXIT, exitCodeFor } from '../../../../scripts/lib/terminal/exit-codes';

describe('exitCodeFor', () => {
  it('maps usage errors to 2 and everything else to 3', () => {
    // Assess
    expect(exitCodeFor(new UsageError('bad'))).toBe(EXIT.usage);
    expect(exitCodeFor(new CredentialReportParseError('bad', 2))).toBe(EXIT.usage);
    expect(exitCodeFor(new CommanderError(1, 'commander.unknownOption', 'x'))).toBe(EXIT.usage);
    expect(exitCodeFor(new Error('aws'))).toBe(EXIT.failure);
    expect(exitCodeFor(new AssumeRoleError('denied'))).toBe(EXIT.failure);
  });

  it('is the table of the README: 0 ok, 1 findings, 2 usage, 3 failure', () => {
    expect(EXIT).toEqual({ ok: 0, findings: 1, usage: 2, failure: 3 });
  });
});
