import { type AccessKeyFacts, MS_PER_DAY, type Policy, type UserFacts } from '../../evaluator/decision';
import { ExclusionList } from '../../evaluator/exclusions';

/** Shared builders for the decision tests: a fixed instant, a user, a key and a policy. */
export const NOW = new Date('2025-08-27T03:00:00.000Z');
export const MAX = 30;
export const SECOND = 1000;

/** The instant `days` whole days (plus `ms`) before NOW. */
export function ago(days: number, ms = 0): Date {
  return new Date(NOW.getTime() - days * MS_PER_DAY - ms);
}

export function user(overrides: Partial<UserFacts> = {}): UserFacts {
  return {
    userName: 'alice',
    userId: 'AIDAAAAAAAAAAAAAAAAA1',
    passwordLastUsed: null,
    loginProfile: null,
    accessKeys: [],
    ...overrides,
  };
}

export function key(id: string, overrides: Partial<AccessKeyFacts> = {}): AccessKeyFacts {
  return { accessKeyId: id, status: 'Active', createDate: ago(400), lastUsedDate: null, ...overrides };
}

export function policy(exclude = '', maxAgeDays = MAX): Policy {
  return { maxAgeDays, exclusions: ExclusionList.parse(exclude) };
}
