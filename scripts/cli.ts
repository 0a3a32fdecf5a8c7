import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerExclusions } from './commands/exclusions/command';
import { registerPreview } from './commands/preview/command';
import { registerReport } from './commands/report/command';
import { registerRollout } from './commands/rollout/command';
import { registerStatus } from './commands/status/command';
import type { RegisterCommand } from './lib/terminal/command';
import { describeError } from './lib/terminal/error-line';
import { UsageError } from './lib/terminal/errors';
import { type CommandOutcome, EXIT, exitCodeFor } from './lib/terminal/exit-codes';
import { type CliIo, processIo } from './lib/terminal/io';

const COMMANDS: readonly RegisterCommand[] = [
  registerPreview,
  registerExclusions,
  registerReport,
  registerStatus,
  registerRollout,
];

export function buildProgram(io: CliIo, outcome: CommandOutcome): Command {
  const program = new Command('iam-unused')
    .description(
      'Find and revoke IAM user credentials unused for N days across an AWS Organization, with per-account exclusions.',
    )
    .version(packageVersion(), '-V, --version', 'print the iam-unused-cleanup version')
    .showHelpAfterError('(run with --help for usage)')
    // Root options only before the command: `exclusions restore --version N` is the command's own option.
    .enablePositionalOptions()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  for (const register of COMMANDS) register(program, io, outcome);
  // Subcommands inherit the output routing and the throw-instead-of-exit behaviour.
  for (const command of program.commands)
    command.configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}

/** Runs the CLI and returns the process exit code (0 ok, 1 findings or failures, 2 bad usage). */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const outcome: CommandOutcome = { exitCode: EXIT.ok };
  const program = buildProgram(io, outcome);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return outcome.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.stderr(`${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}

export { UsageError };

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
