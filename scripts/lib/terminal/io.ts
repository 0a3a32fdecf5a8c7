/** Where a command writes: stdout carries results only, stderr carries progress and errors. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Current time; injectable so tests are deterministic. */
  readonly now: () => Date;
  /** Whether stderr is a terminal (progress may redraw), false in tests and pipes. */
  readonly interactive: boolean;
  /** --quiet: progress lines are not written. */
  readonly quiet?: boolean;
}

/** The real streams, plus whether a write failed for another reason than a closed reader. */
export interface ProcessIo extends CliIo {
  readonly writeFailure: () => Error | undefined;
}

/** A reader that went away (`| head`): not an error of ours, the remaining output has no reader. */
const CLOSED_READER = ['EPIPE', 'ERR_STREAM_DESTROYED'];

export function processIo(): ProcessIo {
  let failure: Error | undefined;
  const writer = (stream: NodeJS.WriteStream) => {
    let closed = false;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      closed = true;
      if (!CLOSED_READER.includes(error.code ?? '')) failure ??= error;
    });
    return (text: string) => {
      if (!closed) stream.write(text);
    };
  };
  return {
    stdout: writer(process.stdout),
    stderr: writer(process.stderr),
    now: () => new Date(),
    interactive: Boolean(process.stderr.isTTY),
    writeFailure: () => failure,
  };
}
