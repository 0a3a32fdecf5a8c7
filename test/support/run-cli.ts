import { main } from '../../scripts/cli';
import type { CliIo } from '../../scripts/lib/terminal/io';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with a fake CliIo that records stdout and stderr; `now` fixes the clock. */
export async function runCli(args: readonly string[], now: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    now: () => new Date(now),
    interactive: false,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
