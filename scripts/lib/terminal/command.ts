import type { Command } from 'commander';
import type { CommandOutcome } from './exit-codes';
import type { CliIo } from './io';

/** Each command module adds itself to the program; it reports its exit code through `outcome`. */
export type RegisterCommand = (program: Command, io: CliIo, outcome: CommandOutcome) => void;
