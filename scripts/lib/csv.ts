/** RFC 4180 CSV with CRLF line ends; a field is quoted when it holds a comma, quote or line break. */
export function renderCsv(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return `${[headers, ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}
