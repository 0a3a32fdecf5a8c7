import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidExclusionListError } from '../../evaluator/errors';
import {
  ExclusionList,
  exclusionValueOf,
  isNoExclusionsValue,
  isUserId,
  isValidUserName,
  NO_EXCLUSIONS_VALUE,
  splitExclusionValue,
} from '../../evaluator/exclusions';

const ID_A = 'AIDAAAAAAAAAAAAAAAAAA';
const ID_B = 'AIDABBBBBBBBBBBBBBBBB';

function entries(raw: string): Array<[string, string]> {
  return ExclusionList.parse(raw).entries.map((e) => [e.raw, e.kind]);
}

describe('ExclusionList.parse: separators and whitespace', () => {
  it.each([
    ['commas', 'alice,bob,carol'],
    ['newlines', 'alice\nbob\ncarol'],
    ['CRLF', 'alice\r\nbob\r\ncarol\r\n'],
    ['lone CR', 'alice\rbob\rcarol'],
    ['commas and newlines mixed', 'alice,\nbob\n,carol'],
    ['spaces and tabs around entries', '  alice , \tbob\t,\n   carol   '],
    ['empty entries', ',,alice,,\n\n,bob, ,\r\n,carol,'],
  ])('splits on %s', (_case, raw) => {
    expect(entries(raw)).toEqual([
      ['alice', 'name'],
      ['bob', 'name'],
      ['carol', 'name'],
    ]);
  });

  it.each(['', '   ', ',,,', '\n\r\n', ' , \n , '])('reads %j as an empty list', (raw) => {
    const list = ExclusionList.parse(raw);
    expect(list.size).toBe(0);
    expect(list.match({ userName: 'alice', userId: ID_A })).toBeUndefined();
  });

  it('keeps entries as written (trimmed), in order, duplicates included', () => {
    expect(entries('Alice, alice ,ALICE')).toEqual([
      ['Alice', 'name'],
      ['alice', 'name'],
      ['ALICE', 'name'],
    ]);
  });

  it('does not split on spaces: a space inside an entry makes it invalid', () => {
    expect(() => ExclusionList.parse('alice bob')).toThrow(InvalidExclusionListError);
  });
});

describe('ExclusionList.parse: UserIds and names', () => {
  it('tells UserIds (AIDA + upper-case letters and digits) from names', () => {
    expect(entries(`${ID_A},svc+deploy=1,a.b@example.com,x_y-z,aidaaaaaaaaaaaaaaaaaa,AIDA123`)).toEqual([
      [ID_A, 'userId'],
      ['svc+deploy=1', 'name'],
      ['a.b@example.com', 'name'],
      ['x_y-z', 'name'],
      // Lower case or too short: not a UserId, but still a valid user name.
      ['aidaaaaaaaaaaaaaaaaaa', 'name'],
      ['AIDA123', 'name'],
    ]);
  });

  it('accepts a 64-character name and rejects a 65-character one', () => {
    expect(entries('a'.repeat(64))).toEqual([['a'.repeat(64), 'name']]);
    expect(() => ExclusionList.parse('a'.repeat(65))).toThrow(InvalidExclusionListError);
  });

  it.each([
    ['alice bob', ['alice bob']],
    ['alice,bad/name,ok,über', ['bad/name', 'über']],
    ['"alice"', ['"alice"']],
    ['alice;bob', ['alice;bob']],
    ['arn:aws:iam::111111111111:user/alice', ['arn:aws:iam::111111111111:user/alice']],
  ])('rejects %j, naming every invalid entry', (raw, invalid) => {
    let thrown: unknown;
    try {
      ExclusionList.parse(raw, 'SSM parameter /x');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidExclusionListError);
    const error = thrown as InvalidExclusionListError;
    expect(error.invalidEntries).toEqual(invalid);
    expect(error.message).toContain(
      `in SSM parameter /x: ${invalid.map((e) => JSON.stringify(e)).join(', ')}.`,
    );
    expect(error.message).toContain(
      invalid.length === 1 ? 'Invalid exclusion list entry ' : 'Invalid exclusion list entries ',
    );
    expect(error.message).toContain('separate entries with commas or newlines');
  });

  it('names the default source when none is given', () => {
    expect(() => ExclusionList.parse('a b')).toThrow(
      'Invalid exclusion list entry in the exclusion list: "a b".',
    );
  });

  it('isValidUserName / isUserId follow the IAM patterns', () => {
    expect(isValidUserName('Admin_1+=,.@-')).toBe(true);
    expect(isValidUserName('')).toBe(false);
    expect(isValidUserName('a b')).toBe(false);
    expect(isUserId(ID_A)).toBe(true);
    expect(isUserId('AIDA12345678901')).toBe(false); // 11 after AIDA
    expect(isUserId('AROAAAAAAAAAAAAAAAAAA')).toBe(false); // a role id, not a user id
  });
});

describe('ExclusionList.match', () => {
  it('matches names case-insensitively (IAM user names are unique regardless of case)', () => {
    const list = ExclusionList.parse('Break-Glass');
    expect(list.match({ userName: 'break-glass', userId: ID_A })).toEqual({
      entry: { raw: 'Break-Glass', kind: 'name' },
      matchedBy: 'name',
    });
    expect(list.match({ userName: 'BREAK-GLASS', userId: ID_B })?.matchedBy).toBe('name');
    expect(list.match({ userName: 'break-glass2', userId: ID_A })).toBeUndefined();
  });

  it('matches a UserId exactly: a user re-created under the same name is no longer excluded', () => {
    const list = ExclusionList.parse(ID_A);
    expect(list.match({ userName: 'alice', userId: ID_A })).toEqual({
      entry: { raw: ID_A, kind: 'userId' },
      matchedBy: 'userId',
    });
    expect(list.match({ userName: 'alice', userId: ID_B })).toBeUndefined();
  });

  it('prefers the UserId entry when both a name and a UserId entry match', () => {
    const list = ExclusionList.parse(`alice,${ID_A}`);
    expect(list.match({ userName: 'alice', userId: ID_A })?.matchedBy).toBe('userId');
    expect(list.match({ userName: 'ALICE', userId: ID_B })?.matchedBy).toBe('name');
  });

  it('the empty list matches nobody', () => {
    expect(ExclusionList.EMPTY.size).toBe(0);
    expect(ExclusionList.EMPTY.match({ userName: 'alice', userId: ID_A })).toBeUndefined();
  });

  it('parse(join(valid names, any separators)) gives back exactly those names', () => {
    const name = fc.stringMatching(/^[\w+=.@-]{1,64}$/);
    const sep = fc.stringMatching(/^[ \t]*[,\r\n][ \t,\r\n]*$/);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(name, sep), { maxLength: 20 }),
        fc.stringMatching(/^[ \t\r\n,]*$/),
        (pairs, lead) => {
          const raw = lead + pairs.map(([n, s]) => n + s).join('');
          expect(splitExclusionValue(raw)).toEqual(pairs.map(([n]) => n));
          const list = ExclusionList.parse(raw);
          for (const [n] of pairs) {
            expect(list.match({ userName: n.toUpperCase(), userId: 'AIDAZZZZZZZZZZZZZZZZZ' })).toBeDefined();
          }
        },
      ),
      { seed: 1234, numRuns: 300 },
    );
  });
});

describe('the explicit "no exclusions" value', () => {
  it('is no user name IAM allows, so it can never collide with a real user', () => {
    expect(isValidUserName(NO_EXCLUSIONS_VALUE)).toBe(false);
    expect(isUserId(NO_EXCLUSIONS_VALUE)).toBe(false);
  });

  it.each([NO_EXCLUSIONS_VALUE, ` ${NO_EXCLUSIONS_VALUE}\n`])('reads %j as an empty list', (raw) => {
    expect(isNoExclusionsValue(raw)).toBe(true);
    expect(splitExclusionValue(raw)).toEqual([]);
    expect(ExclusionList.parse(raw).size).toBe(0);
  });

  it('mixed with names is an invalid entry, not either meaning', () => {
    expect(() => ExclusionList.parse(`${NO_EXCLUSIONS_VALUE},alice`)).toThrow(InvalidExclusionListError);
  });

  it('is what an empty list is written as; entries are joined by commas', () => {
    expect(exclusionValueOf([])).toBe(NO_EXCLUSIONS_VALUE);
    expect(exclusionValueOf(['alice', ID_A])).toBe(`alice,${ID_A}`);
    expect(ExclusionList.parse(exclusionValueOf([])).size).toBe(0);
  });
});

describe('ExclusionList.unmatched', () => {
  it('names the entries that match no user, each entry tested on its own', () => {
    // Prepare: alice is listed by name and by UserId; "bobb" is a typo; ID_B is gone.
    const list = ExclusionList.parse(`alice,${ID_A},bobb,${ID_B}`);
    const users = [
      { userName: 'Alice', userId: ID_A },
      { userName: 'bob', userId: 'AIDACCCCCCCCCCCCCCCCC' },
    ];
    // Act
    const unmatched = list.unmatched(users).map((e) => e.raw);
    // Assess
    expect(unmatched).toEqual(['bobb', ID_B]);
  });

  it('a UserId-shaped entry also matches a user literally named so', () => {
    const list = ExclusionList.parse(ID_B);
    expect(list.unmatched([{ userName: ID_B.toLowerCase(), userId: ID_A }])).toEqual([]);
  });
});
