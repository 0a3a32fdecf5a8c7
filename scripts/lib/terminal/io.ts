/** Where a command writes: stdout carries results only, stderr carries progress and errors. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Current time; injectable so tests are deterministic. */
  readonly now: () => Date;
  /** Whether stderr is a terminal (progress may redraw), false in tests and pipes. */
  readonly interactive: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    now: () => new Date(),
    interactive: Boolean(process.stderr.isTTY),
  };
}
