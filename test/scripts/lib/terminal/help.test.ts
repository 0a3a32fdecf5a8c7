import { describe, expect, it } from 'vitest';
import { runCli } from '../../../support/harness';

/** Every command that talks to AWS, as its words on the command line. */
const AWS_COMMANDS: string[][] = [
  ['rollout'],
  ['status'],
  ['report'],
  ['exclusions', 'list'],
  ['exclusions', 'add'],
  ['exclusions', 'remove'],
  ['exclusions', 'sync'],
];

describe('--help of every operator command', () => {
  it.each(AWS_COMMANDS)('%s shows an example and the shared options', async (...command) => {
    const { code, stdout } = await runCli([...command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`iam-unused ${command.join(' ')} `);
    expect(stdout).toMatch(/Examples?:/);
    for (const option of ['--profile', '--region', '--output']) expect(stdout).toContain(option);
  });
});

describe('help text and shared flags', () => {
  it('lists the commands in workflow order: preview, rollout, status, report, exclusions, then pause and resume', async () => {
    const { stdout } = await runCli(['--help']);
    const names = [...stdout.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]);
    expect(names.filter((n) => n !== 'help')).toEqual([
      'preview',
      'rollout',
      'status',
      'report',
      'exclusions',
      'pause',
      'resume',
    ]);
  });

  it.each([
    [['preview'], /--max-age <days> .*\(required\)/],
    [['preview'], /--snapshot <file> [^\n]*\n?[^\n]*this or --credential-report is required/],
    [['exclusions', 'restore'], /--version <n> .*? \(required\) --apply/],
  ])('%j --help marks required options', async (command, marked) => {
    const { stdout } = await runCli([...command, '--help']);
    expect(stdout.replace(/\n\s+/g, ' ')).toMatch(marked);
  });

  it.each([['preview'], ...AWS_COMMANDS])(
    '%s: -o is short for --output, and the exit codes are in the help',
    async (...command) => {
      const { stdout } = await runCli([...command, '--help']);
      expect(stdout).toContain('-o, --output <format>');
      expect(stdout).toMatch(/Exit code: 0 .*, 1 .*, 2 /);
    },
  );

  it.each([['status'], ['report'], ['exclusions', 'list']])('%s accepts -q, --quiet', async (...command) => {
    const { stdout } = await runCli([...command, '--help']);
    expect(stdout).toContain('-q, --quiet');
  });
});
