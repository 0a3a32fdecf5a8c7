import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** The installed bin as a real process, the way an operator runs it. */
const BIN = fileURLToPath(new URL('../../../scripts/bin/iam-unused.mjs', import.meta.url));
const VERSION = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const away = mkdtempSync(join(tmpdir(), 'iam-unused-elsewhere-'));

describe('iam-unused as a process', () => {
  it('runs from any directory (npm link puts the bin on PATH; tsx and the sources load from the clone)', async () => {
    // Act
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, '--version'], { cwd: away });
    // Assert
    expect(stdout).toBe(`${VERSION}\n`);
  }, 30_000);

  it('runs through a symlink as npm link makes it, from another directory', async () => {
    // Arrange: npm link makes <prefix>/bin/iam-unused a symlink to the clone's bin file.
    const link = join(mkdtempSync(join(tmpdir(), 'iam-unused-bin-')), 'iam-unused');
    symlinkSync(BIN, link);
    // Act
    const { stdout } = await promisify(execFile)(process.execPath, [link, 'preview', '--help'], {
      cwd: away,
    });
    // Assert
    expect(stdout).toMatch(/^Usage: iam-unused preview \[options\]/);
  }, 30_000);

  it('ends quietly when the reader of stdout goes away (| head): no stack trace, exit code kept', async () => {
    // Arrange: a credential report long enough that output continues after the pipe closes.
    const header =
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,' +
      'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,' +
      'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date';
    const rows = Array.from(
      { length: 3000 },
      (_, i) =>
        `user${i},arn:aws:iam::111111111111:user/user${i},2024-01-01T00:00:00+00:00,true,2024-02-01T00:00:00+00:00,2024-01-01T00:00:00+00:00,N/A,false,N/A,N/A,false,N/A,N/A`,
    );
    const report = join(away, 'big-report.csv');
    writeFileSync(report, `${[header, ...rows].join('\n')}\n`);
    // Act: read one chunk of stdout, then close it.
    const child = spawn(
      process.execPath,
      [BIN, 'preview', '--credential-report', report, '--max-age', '30', '--now', '2025-08-27T03:00:00Z'],
      { cwd: away, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // Assert: the verdict (findings, 1) still decides the exit code; nothing on stderr.
    expect(stderr).toBe('');
    expect(code).toBe(1);
  }, 30_000);
});
