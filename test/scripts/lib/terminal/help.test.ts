import { describe, expect, it } from 'vitest';
import { runCli } from '../../../support/harness';

describe('--help of every operator command', () => {
  it.each([
    ['rollout'],
    ['status'],
    ['report'],
    ['exclusions', 'list'],
    ['exclusions', 'add'],
    ['exclusions', 'remove'],
    ['exclusions', 'sync'],
  ])('%s shows an example and the shared options', async (...command) => {
    const { code, stdout } = await runCli([...command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`iam-unused ${command.join(' ')} `);
    expect(stdout).toMatch(/Examples?:/);
    for (const option of ['--profile', '--region', '--output']) expect(stdout).toContain(option);
  });
});
