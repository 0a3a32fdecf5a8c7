/** A leading = + - @ (or tab / CR) makes spreadsheets evaluate the cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180 CSV with CRLF line ends; a field is quoted when it holds a comma, quote or line break.
 * A field a spreadsheet would run as a formula gets a leading apostrophe (and quotes): IAM user
 * names may start with = + - @, and account names may hold any printable character.
 */
export function renderCsv(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const field = (value: string) => {
    if (FORMULA_START.test(value)) return `"'${value.replace(/"/g, '""')}"`;
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  };
  return `${[headers, ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}
