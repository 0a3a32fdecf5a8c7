/**
 * A small plain-text table for terminal output: a header row, a dashed rule, then the rows,
 * columns padded to their widest cell and separated by two spaces. A cell may span several
 * lines ("\n"); the other cells of that row are padded with blank lines. No colours or box
 * characters, so the output stays readable in logs, pipes and e-mails.
 */
export interface Column {
  readonly header: string;
  /** @default 'left' */
  readonly align?: 'left' | 'right';
}

const GAP = '  ';

export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  rows.forEach((row, i) => {
    if (row.length !== columns.length) {
      throw new RangeError(
        `renderTable: row ${i} has ${row.length} cells but the table has ${columns.length} columns`,
      );
    }
  });
  const split = rows.map((row) => row.map((cell) => cell.split('\n')));
  const widths = columns.map((column, c) =>
    Math.max(width(column.header), ...split.map((row) => Math.max(...(row[c] ?? ['']).map(width)))),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => pad(cell, widths[c] ?? 0, columns[c]?.align ?? 'left'))
      .join(GAP)
      .trimEnd();
  const out = [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w)))];
  for (const row of split) {
    const height = Math.max(1, ...row.map((lines) => lines.length));
    for (let l = 0; l < height; l++) out.push(line(row.map((lines) => lines[l] ?? '')));
  }
  return `${out.join('\n')}\n`;
}

/** Display width in code points, so "…" or "é" count as one column. */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, to: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, to - width(text)));
  return align === 'right' ? fill + text : text + fill;
}
