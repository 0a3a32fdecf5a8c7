import type { CliIo } from './io';
import { renderTable } from './table';

/** C0 controls but the line feed the table splits on, DEL, and C1 controls (CSI, OSC...). */
function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
}

/**
 * Text safe to print on a terminal: control characters become visible `\xNN`. Annotations come
 * from code running in member accounts and messages from AWS; neither may move the cursor,
 * retitle the window or write the clipboard of the operator's terminal.
 */
export function printable(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    out += isControl(code) ? `\\x${code.toString(16).padStart(2, '0')}` : c;
  }
  return out;
}

/** A simple table given by header names; every cell already formatted as text. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return renderTable(
    headers.map((header) => ({ header })),
    rows.map((row) => row.map(printable)),
  );
}

/** JSON on stdout: dates as ISO strings, two-space indent, trailing newline. */
export function writeJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

export function isoOrEmpty(date: Date | undefined): string {
  return date ? date.toISOString() : '';
}
