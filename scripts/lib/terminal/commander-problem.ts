import type { CommanderError } from 'commander';
import type { Problem } from './errors';

/**
 * Commander's own errors ("error: unknown option '--x'") in the CLI's one-line form. Commander
 * gives only a code and an English message, so the value is taken from the message by code.
 */
const BY_CODE: Readonly<Record<string, { what: string; pattern: RegExp }>> = {
  'commander.unknownOption': { what: 'unknown option', pattern: /unknown option '(.+?)'/ },
  'commander.unknownCommand': { what: 'unknown command', pattern: /unknown command '(.+?)'/ },
  'commander.missingMandatoryOptionValue': {
    what: 'required option missing',
    pattern: /required option '(.+?)' not specified/,
  },
  'commander.optionMissingArgument': {
    what: 'option needs a value',
    pattern: /option '(.+?)' argument missing/,
  },
  'commander.missingArgument': { what: 'missing argument', pattern: /missing required argument '(.+?)'/ },
  'commander.excessArguments': {
    what: 'too many arguments',
    pattern: /too many arguments(?: for '.+?')?\. (.+?)\.?$/,
  },
};

export function commanderProblem(error: CommanderError, help: string): Problem {
  const message = error.message.replace(/^error: /, '');
  const [first = '', ...rest] = message.split('\n');
  // "(Did you mean --max-age?)" is the best fix commander can give.
  const suggestion = /\(Did you mean (.+?)\?\)/.exec(rest.join(' '))?.[1];
  const fix = suggestion ? `did you mean ${suggestion}? ${help}` : help;
  if (error.code === 'commander.invalidArgument') {
    const invalid = /option '(.+?)' argument '(.*?)' is invalid\.\s*(.*)$/.exec(first);
    if (invalid)
      return {
        what: `invalid value for ${invalid[1]}`,
        value: invalid[2] ?? '',
        fix: invalid[3] ? invalid[3].replace(/\.$/, '') : help,
      };
  }
  const known = BY_CODE[error.code];
  const value = known ? known.pattern.exec(first)?.[1] : undefined;
  if (known && value !== undefined) return { what: known.what, value, fix };
  return { what: 'invalid command line', value: first, fix };
}
