import { table } from '../../lib/terminal/output';
import type { ExclusionResult } from './result';

export function renderExclusionResults(results: readonly ExclusionResult[], list: boolean): string {
  if (list) {
    return table(
      ['ACCOUNT', 'NAME', 'VERSION', 'ENTRIES'],
      results.map((r) => [
        r.accountId,
        r.accountName,
        r.version === undefined ? '-' : String(r.version),
        r.status === 'listed'
          ? r.entries.length === 0
            ? r.version === undefined
              ? '(no parameter)'
              : '(empty)'
            : r.entries.join(', ')
          : `${r.status.toUpperCase()}: ${r.message ?? ''}`,
      ]),
    );
  }
  return table(
    ['ACCOUNT', 'NAME', 'RESULT', 'CHANGES', 'DETAIL'],
    results.map((r) => [
      r.accountId,
      r.accountName,
      r.status,
      [...r.added.map((e) => `+${e}`), ...r.removed.map((e) => `-${e}`)].join(' ') || '-',
      r.message ?? (r.entries.length > 0 ? `now: ${r.entries.join(', ')}` : 'now: (empty)'),
    ]),
  );
}
