import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli';

function run(args: readonly string[]) {
  return runCli(args, '2025-08-27T03:00:00Z');
}

describe('iam-unused CLI', () => {
  it('--help lists the preview command and exits 0', async () => {
    const { code, stdout, stderr } = await run(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: iam-unused /);
    expect(stdout).toMatch(/\n {2}preview \[options\] +Show what the remediation runbook would revoke/);
  });

  it('--version prints the package version and exits 0', async () => {
    const { code, stdout } = await run(['--version']);
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(code).toBe(0);
    expect(stdout).toBe(`${manifest.version}\n`);
  });

  it('preview --help documents every option and gives an example, exit 0', async () => {
    const { code, stdout, stderr } = await run(['preview', '--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const option of [
      '--snapshot <file>',
      '--credential-report <file>',
      '--max-age <days>',
      '--exclude <list>',
      '--now <iso8601>',
      '--output <format>',
    ]) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toContain('$ iam-unused preview --snapshot examples/article-snapshot.json --max-age 30');
    // The examples never name the package for npx: outside the clone that would ask the registry.
    expect(stdout).not.toContain('npx iam-unused');
    expect(stdout).toContain('Exit code: 0 all COMPLIANT, 1 some user NON_COMPLIANT, 2 bad usage or input.');
  });

  it('an unknown command exits 2 without writing to stdout', async () => {
    const { code, stdout, stderr } = await run(['previwe']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^iam-unused: unknown command: previwe — /);
  });

  it('the installed bin prints the help through a real process', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      'scripts/bin/iam-unused.mjs',
      'preview',
      '--help',
    ]);
    expect(stdout).toMatch(/^Usage: iam-unused preview \[options\]/);
  });
});
