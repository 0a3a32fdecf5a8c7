import { describe, expect, it } from 'vitest';
import { renderTable } from '../../../../scripts/lib/terminal/table';

describe('renderTable', () => {
  it('pads every column to its widest cell, with a dashed rule under the header', () => {
    const text = renderTable(
      [{ header: 'NAME' }, { header: 'DAYS', align: 'right' }, { header: 'NOTE' }],
      [
        ['alice', '5', 'ok'],
        ['bob-the-builder', '123', ''],
      ],
    );
    expect(text).toBe(
      [
        'NAME             DAYS  NOTE',
        '---------------  ----  ----',
        'alice               5  ok',
        'bob-the-builder   123',
        '',
      ].join('\n'),
    );
  });

  it('lets a cell span several lines and pads the rest of the row', () => {
    const text = renderTable(
      [{ header: 'A' }, { header: 'B' }, { header: 'C' }],
      [['x', 'one\ntwo\nthree', 'y\nz']],
    );
    expect(text).toBe(
      ['A  B      C', '-  -----  -', 'x  one    y', '   two    z', '   three', ''].join('\n'),
    );
  });

  it('counts code points, not UTF-16 units, for the width', () => {
    const text = renderTable([{ header: 'X' }, { header: 'Y' }], [['é…😀', '1']]);
    expect(text.split('\n')[2]).toBe('é…😀  1');
    expect(text.split('\n')[1]).toBe('---  -');
  });

  it('renders just the header for no rows', () => {
    expect(renderTable([{ header: 'USER' }], [])).toBe('USER\n----\n');
  });

  it('refuses a row whose cell count does not match the columns', () => {
    expect(() => renderTable([{ header: 'A' }, { header: 'B' }], [['1', '2'], ['3']])).toThrow(
      'renderTable: row 1 has 1 cells but the table has 2 columns',
    );
  });
});
