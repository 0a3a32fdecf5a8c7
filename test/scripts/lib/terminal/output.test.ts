import { describe, expect, it } from 'vitest';
import { printable, table } from '../../../../scripts/lib/terminal/output';

// Annotations are written by code running in member accounts; account names and AWS error
// messages are not ours either. None of them may drive the operator's terminal.
describe('terminal output', () => {
  it('shows control characters in table cells instead of sending them to the terminal', () => {
    const out = table(['USER', 'ANNOTATION'], [['alice', 'ok\u001b]52;c;ZXZpbA==\u0007\u001b[2J\u009b1m']]);
    const controls = [...out].filter((c) => {
      const code = c.charCodeAt(0);
      return (code < 0x20 && c !== '\n') || (code >= 0x7f && code <= 0x9f);
    });
    expect(controls).toEqual([]);
    expect(out).toContain('ok\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J\\x9b1m');
  });

  it('leaves ordinary text, multi-line cells and non-ASCII letters alone', () => {
    expect(printable('alice+ops@example.com é …')).toBe('alice+ops@example.com é …');
    expect(table(['A'], [['one\ntwo']])).toBe('A\n---\none\ntwo\n');
  });
});
