import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli } from '../../../support/run-cli';

/** Shared builders for the `iam-unused preview` scenario tests: snapshot files and CLI runs. */

export const NOW = '2025-08-27T03:00:00Z';
export const DAY = 24 * 60 * 60 * 1000;
export const dir = mkdtempSync(join(tmpdir(), 'iam-unused-preview-'));

export function daysBefore(days: number, extraMs = 0): string {
  return new Date(Date.parse(NOW) - days * DAY - extraMs).toISOString();
}

/** Writes a file into the test directory: a document as pretty JSON, a string as is. */
export function writeJson(name: string, document: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof document === 'string' ? document : JSON.stringify(document, null, 2));
  return path;
}

/** A snapshot file of account 111111111111 with these users. */
export function givenSnapshot(name: string, users: readonly unknown[]): string {
  return writeJson(name, { accountId: '111111111111', users });
}

/** A snapshot user: alice, no password, no keys, created 400 days ago, unless overridden. */
export function user(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    userName: 'alice',
    userId: 'AIDAAAAAAAAAAAAAAAA1',
    createDate: daysBefore(400),
    passwordLastUsed: null,
    loginProfile: null,
    accessKeys: [],
    ...overrides,
  };
}

export function run(args: readonly string[], now = NOW) {
  return runCli(args, now);
}

export interface JsonUser {
  userName: string;
  userId: string;
  compliance: string;
  excluded: boolean;
  revoke: { password: boolean; accessKeys: string[] };
  excludedBy: { entry: string; matchedBy: string } | null;
  annotation: string;
}

/** Runs with `--output json`: nothing may go to stderr, and stdout is one JSON document. */
export async function runJson(args: readonly string[]) {
  const result = await run([...args, '--output', 'json']);
  expect(result.stderr).toBe('');
  return { ...result, doc: JSON.parse(result.stdout) as { users: JsonUser[]; [k: string]: unknown } };
}

/**
 * Three users at NOW with max age 30: zed-fresh (password 5 days old, never used), bob-keys
 * (one key used 30 days minus a second ago, one exactly 30 days ago, one inactive) and carol
 * (no login profile, an old PasswordLastUsed).
 */
export function givenMixedSnapshot(): string {
  return givenSnapshot('mixed.json', [
    user({
      userName: 'zed-fresh',
      userId: 'AIDAAAAAAAAAAAAAAAA1',
      loginProfile: { createDate: daysBefore(5) },
    }),
    user({
      userName: 'bob-keys',
      userId: 'AIDAAAAAAAAAAAAAAAA2',
      accessKeys: [
        {
          accessKeyId: 'AKIAAAAAAAAAAAAAAAA1',
          status: 'Active',
          createDate: daysBefore(100),
          lastUsedDate: daysBefore(30, -1000),
        },
        {
          accessKeyId: 'AKIAAAAAAAAAAAAAAAA2',
          status: 'Active',
          createDate: daysBefore(100),
          lastUsedDate: daysBefore(30),
        },
        { accessKeyId: 'AKIAAAAAAAAAAAAAAAA3', status: 'Inactive', createDate: daysBefore(300) },
      ],
    }),
    user({ userName: 'carol', userId: 'AIDAAAAAAAAAAAAAAAA3', passwordLastUsed: daysBefore(500) }),
  ]);
}
