import type { Command } from 'commander';
import type { CliIo, CommandOutcome } from './cli-context';

/** Each command module adds itself to the program; it reports its exit code through `outcome`. */
export type RegisterCommand = (program: Command, io: CliIo, outcome: CommandOutcome) => void;
