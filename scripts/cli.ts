import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help, type Option } from 'commander';
import { registerExclusions } from './commands/exclusions/command';
import { registerPause, registerResume } from './commands/pause/command';
import { registerPreview } from './commands/preview/command';
import { registerReport } from './commands/report/command';
import { registerRollout } from './commands/rollout/command';
import { registerStatus } from './commands/status/command';
import type { RegisterCommand } from './lib/terminal/command';
import { describeError } from './lib/terminal/error-line';
import { UsageError } from './lib/terminal/errors';
import { type CommandOutcome, EXIT, exitCodeFor } from './lib/terminal/exit-codes';
import { type CliIo, processIo } from './lib/terminal/io';

/** Workflow order: try it offline, prepare the organization, check it, read results, tune exclusions. */
const COMMANDS: readonly RegisterCommand[] = [
  registerPreview,
  registerRollout,
  registerStatus,
  registerReport,
  registerExclusions,
  registerPause,
  registerResume,
];

/** Which command the run is in, for the help hint of an error line. */
interface RunState {
  command: string;
  quiet: boolean;
}

export function buildProgram(io: CliIo, outcome: CommandOutcome, state?: RunState): Command {
  const run = state ?? { command: '', quiet: false };
  // Commands keep this io; --quiet is known only once the command line is parsed.
  const commandIo: CliIo = {
    stdout: io.stdout,
    stderr: io.stderr,
    now: io.now,
    interactive: io.interactive,
    get quiet() {
      return run.quiet || io.quiet === true;
    },
  };
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
  for (const register of COMMANDS) register(program, commandIo, outcome);
  program.hook('preAction', (_program, action) => {
    run.quiet = action.opts().quiet === true;
    run.command = commandPath(action);
  });
  for (const command of allCommands(program)) {
    command
      .configureHelp({ optionDescription: describeOption })
      .showHelpAfterError(false)
      // Commander's own error text is replaced by the one-line form main() prints.
      .configureOutput({
        writeOut: io.stdout,
        writeErr: io.stderr,
        outputError: () => {
          run.command = commandPath(command);
        },
      });
  }
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 findings, 2 bad usage or input, 3 failure. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const outcome: CommandOutcome = { exitCode: EXIT.ok };
  const run: RunState = { command: '', quiet: false };
  const program = buildProgram(io, outcome, run);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return outcome.exitCode;
  } catch (error) {
    // --help and --version end through here with exit code 0.
    if (error instanceof CommanderError && error.exitCode === 0) return EXIT.ok;
    io.stderr(`${describeError(error, run.command)}\n`);
    return exitCodeFor(error);
  }
}

export { UsageError };

/** "(required)" after options a command cannot run without, so --help says so. */
function describeOption(option: Option): string {
  const text = new Help().optionDescription(option);
  return option.mandatory ? `${text} (required)` : text;
}

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

/** "exclusions add" for a subcommand; "" for the program itself. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
