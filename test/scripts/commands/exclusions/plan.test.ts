import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExclusionList, NO_EXCLUSIONS_VALUE } from '../../../../evaluator/exclusions';
import {
  ADVANCED_TIER_MAX_BYTES,
  desiredEntries,
  diffEntries,
  encodeEntries,
  isWritableEntry,
  parseExclusionFile,
  STANDARD_TIER_MAX_BYTES,
  sizeProblem,
} from '../../../../scripts/commands/exclusions/plan';
import { UsageError } from '../../../../scripts/lib/terminal/errors';

describe('encodeEntries', () => {
  it('encodes the empty list as a value the evaluator reads as no exclusions', () => {
    expect(encodeEntries([])).toBe(NO_EXCLUSIONS_VALUE);
    expect(ExclusionList.parse(NO_EXCLUSIONS_VALUE).size).toBe(0);
  });

  it('round-trips any list of writable entries through the evaluator parser', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_+=.@-]{1,64}$/);
    fc.assert(
      fc.property(fc.array(name, { maxLength: 20 }), (names) => {
        const parsed = ExclusionList.parse(encodeEntries(names));
        expect(parsed.entries.map((e) => e.raw)).toEqual(names);
      }),
    );
  });
});

describe('isWritableEntry', () => {
  it.each([
    ['alice', true],
    ['AIDAEXAMPLEUSERID0001', true],
    ['a.b+c=d@e-f_g', true],
    ['has,comma', false],
    [' padded', false],
    ['', false],
    ['x'.repeat(65), false],
    ['bad!', false],
  ])('%j -> %s', (entry, ok) => {
    expect(isWritableEntry(entry)).toBe(ok);
  });
});

describe('diffEntries', () => {
  it('adds, removes, keeps the current spelling and order', () => {
    expect(diffEntries(['Alice', 'bob'], ['alice', 'carol'])).toEqual({
      added: ['carol'],
      removed: ['bob'],
      next: ['Alice', 'carol'],
      changed: true,
    });
  });
  it('is unchanged when the sets agree case-insensitively', () => {
    expect(diffEntries(['Alice'], ['ALICE']).changed).toBe(false);
  });
  it('never takes a name entry for a UserId entry: adding the UserId of "aida…" is a change', () => {
    // The evaluator matches a UserId exactly; a lower-case look-alike is only a user name.
    const id = 'AIDAABCDEFGHIJKLMNOP';
    const diff = diffEntries([id.toLowerCase()], [id.toLowerCase(), id]);
    expect(diff).toMatchObject({ added: [id], changed: true });
    expect(diff.next).toEqual([id.toLowerCase(), id]);
    expect(diffEntries([id], [id]).changed).toBe(false);
  });
  it('drops duplicates in the current list only when they are removed', () => {
    expect(diffEntries(['a', 'A'], ['a'])).toMatchObject({ next: ['a'], changed: false });
  });
});

describe('sizeProblem', () => {
  it('accepts exactly 4096 bytes on the standard tier and refuses one more', () => {
    expect(sizeProblem('x'.repeat(STANDARD_TIER_MAX_BYTES), false)).toBeUndefined();
    expect(sizeProblem('x'.repeat(STANDARD_TIER_MAX_BYTES + 1), false)).toContain('--advanced-tier');
    expect(sizeProblem('x'.repeat(STANDARD_TIER_MAX_BYTES + 1), true)).toBeUndefined();
    expect(sizeProblem('x'.repeat(ADVANCED_TIER_MAX_BYTES + 1), true)).toContain('advanced-tier limit');
  });
});

describe('parseExclusionFile', () => {
  it('reads the shipped example', () => {
    const file = parseExclusionFile(readFileSync('examples/exclusions.yaml', 'utf8'), 'example', false);
    expect(file.defaults).toEqual(['breakglass']);
    expect(desiredEntries(file, '111111111111')).toEqual(['breakglass', 'ci-deployer']);
    expect(desiredEntries(file, '999999999999')).toEqual(['breakglass']);
  });

  it('keeps leading zeros of unquoted account ids', () => {
    const file = parseExclusionFile('accounts:\n  012345678901: [a]\n', 'f', false);
    expect([...file.accounts.keys()]).toEqual(['012345678901']);
  });

  it('treats empty values as empty lists', () => {
    const file = parseExclusionFile('defaults:\naccounts:\n  "111111111111":\n', 'f', false);
    expect(file.defaults).toEqual([]);
    expect(file.accounts.get('111111111111')).toEqual([]);
  });

  it.each([
    ['accounts:\n  "111111111111": [a]\n  "111111111111": [b]\n', /f line 3: duplicate key/],
    ['defaults: alice\n', /must be a list/],
    ['defaults: [[a]]\n', /item 1 must be a user name/],
    ['- a\n', /expected a mapping/],
    ['accounts: [a]\n', /accounts must map/],
  ])('refuses %j', (text, message) => {
    expect(() => parseExclusionFile(text, 'f', false)).toThrow(UsageError);
    expect(() => parseExclusionFile(text, 'f', false)).toThrow(message);
  });

  it('checks the size of each account list (defaults + account)', () => {
    const names = Array.from({ length: 200 }, (_, i) => `name-number-with-padding-${i}`);
    const text = `defaults: [${names.slice(0, 100).join(', ')}]\naccounts:\n  "111111111111": [${names.slice(100).join(', ')}]\n`;
    expect(() => parseExclusionFile(text, 'f', false)).toThrow(/account 111111111111: the list is \d+ bytes/);
    expect(parseExclusionFile(text, 'f', true).accounts.size).toBe(1);
  });
});
