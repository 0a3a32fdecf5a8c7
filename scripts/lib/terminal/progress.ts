import type { CliIo } from './io';

/** Progress of org-wide work on stderr, one line per finished account (stdout stays clean for results). */
export interface Progress {
  done(accountId: string, outcome: 'ok' | 'failed'): void;
}

export function createProgress(io: CliIo, label: string, total: number): Progress {
  let finished = 0;
  io.stderr(`${label}: ${total} account${total === 1 ? '' : 's'}\n`);
  return {
    done(accountId, outcome) {
      finished += 1;
      io.stderr(`${label}: ${finished}/${total} ${accountId} ${outcome}\n`);
    },
  };
}
