import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../scripts/lib/terminal/errors';
import { EXIT, exitCodeFor } from '../../../../scripts/lib/terminal/exit-codes';

describe('exitCodeFor', () => {
  it('maps usage errors to 2 and everything else to 1', () => {
    // Assess
    expect(exitCodeFor(new UsageError('bad'))).toBe(EXIT.usage);
    expect(exitCodeFor(new Error('aws'))).toBe(EXIT.findings);
  });
});
