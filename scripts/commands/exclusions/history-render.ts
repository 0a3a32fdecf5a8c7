import { isoOrEmpty, printable, table } from '../../lib/terminal/output';
import { type AccountHistory, writerOf } from './history';

/** `exclusions history` as text: per account, one row per version (oldest first). */
export function renderHistory(rows: readonly AccountHistory[]): string {
  return rows
    .map((r) => {
      const head = `${r.accountId}${r.accountName ? ` ${r.accountName}` : ''}: ${r.parameterName}\n`;
      if (r.error !== undefined) return printable(`${head}  FAILED: ${r.error}\n`);
      if (r.versions.length === 0) return `${head}  (no versions)\n`;
      return (
        head +
        table(
          ['VERSION', 'MODIFIED', 'BY', 'CHANGES', 'ENTRIES'],
          r.versions.map((v) => [
            String(v.version),
            isoOrEmpty(v.modifiedAt),
            writerOf(v.modifiedBy),
            [...v.added.map((e) => `+${e}`), ...v.removed.map((e) => `-${e}`)].join(' ') || '-',
            v.entries === undefined
              ? `(${v.type ?? 'SecureString'}, not shown)`
              : v.entries.length === 0
                ? '(none)'
                : v.entries.join(', '),
          ]),
        )
      );
    })
    .join('\n');
}
