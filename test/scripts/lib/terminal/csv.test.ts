import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../../../scripts/lib/terminal/csv';

describe('renderCsv', () => {
  it('quotes commas, quotes and line breaks (RFC 4180, CRLF)', () => {
    expect(renderCsv(['a', 'b'], [['x,y', 'say "hi"\nbye']])).toBe('a,b\r\n"x,y","say ""hi""\nbye"\r\n');
  });

  // IAM user names may start with = + - @ and Organizations account names may hold any printable
  // ASCII: a spreadsheet would run such a cell as a formula (CSV injection).
  it.each([
    ['=1+2', `"'=1+2"`],
    ['+alice', `"'+alice"`],
    ['-bob', `"'-bob"`],
    ['@carol', `"'@carol"`],
    ['=HYPERLINK("http://example.com","x")', `"'=HYPERLINK(""http://example.com"",""x"")"`],
    ['\tx', `"'\tx"`],
    ['\rx', `"'\rx"`],
  ])('neutralises a cell that a spreadsheet would run as a formula: %j', (value, cell) => {
    expect(renderCsv(['h'], [[value]])).toBe(`h\r\n${cell}\r\n`);
  });

  it('leaves ordinary values and inner formula characters alone', () => {
    expect(renderCsv(['h'], [['alice=admin@example.com'], ['111111111111'], ['']])).toBe(
      'h\r\nalice=admin@example.com\r\n111111111111\r\n\r\n',
    );
  });
});
