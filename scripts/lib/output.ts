import type { CliIo } from './cli-context';
import { renderTable } from './table';

/** A simple table given by header names; every cell already formatted as text. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return renderTable(
    headers.map((header) => ({ header })),
    rows,
  );
}

/** JSON on stdout: dates as ISO strings, two-space indent, trailing newline. */
export function writeJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

export function isoOrEmpty(date: Date | undefined): string {
  return date ? date.toISOString() : '';
}
