import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, MS_PER_DAY, type UserFacts } from '../../../evaluator/decision';
import { ExclusionList } from '../../../evaluator/exclusions';
import { CredentialReportFirstSource } from '../../../evaluator/facts/credential-report-first';
import { createPerUserSource } from '../../../evaluator/facts/per-user';
import { CallCounter, type UserFactsSource } from '../../../evaluator/facts/types';
import { serveIam } from '../../../scripts/simulation/aws-mock';
import { IamAccount, type ModelUser, renderCredentialReport } from '../../../scripts/simulation/model';

/**
 * Property: for any account, any report age and any changes since the report, report-first gives
 * the same verdicts (compliance and revoke set) as per-user, and both match the live account.
 * Some users share a creation second (bulk creation), and users may swap names since the report.
 * Dates crowd around the limit (± a few seconds) to hit the rounding and margin edges.
 */

const REPORT_TIME = new Date('2025-06-01T09:00:00.250Z');
const HOUR = 60 * 60 * 1000;
const quiet = { write: () => undefined };

/** Milliseconds before the report: near 0, near the limit, or anywhere up to three limits. */
const ago = (maxAgeDays: number) =>
  fc.oneof(
    fc.integer({ min: 0, max: 6 * HOUR }),
    fc.integer({ min: -5000, max: 5000 }).map((d) => Math.max(0, maxAgeDays * MS_PER_DAY + d)),
    fc.integer({ min: -5000, max: 5000 }).map((d) => Math.max(0, maxAgeDays * MS_PER_DAY - 4 * HOUR + d)),
    fc.integer({ min: 0, max: 3 * maxAgeDays * MS_PER_DAY }),
  );

const keySpec = (maxAgeDays: number) =>
  fc.record({ created: ago(maxAgeDays), lastUsed: fc.option(ago(maxAgeDays)), active: fc.boolean() });

const userSpec = (maxAgeDays: number) =>
  fc.record({
    created: ago(maxAgeDays),
    // Created in the same second as an earlier user (bulk creation), when set.
    sameSecondAs: fc.option(fc.nat()),
    profile: fc.option(ago(maxAgeDays)),
    passwordLastUsed: fc.option(ago(maxAgeDays)),
    keys: fc.array(keySpec(maxAgeDays), { maxLength: 2 }),
  });

const change = fc.record({
  kind: fc.constantFrom(
    'use-key',
    'use-password',
    'create-key',
    'delete-key',
    'toggle-key',
    'delete-profile',
    'create-profile',
    'delete-user',
    'create-user',
    'swap-names',
  ),
  user: fc.nat(),
  key: fc.nat(1),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  flag: fc.boolean(),
});

const scenario = fc.constantFrom(1, 2, 30, 90).chain((maxAgeDays) =>
  fc.record({
    maxAgeDays: fc.constant(maxAgeDays),
    reportAgeMs: fc.oneof(fc.integer({ min: 0, max: 4 * HOUR }), fc.integer({ min: 0, max: 3 * MS_PER_DAY })),
    users: fc.array(userSpec(maxAgeDays), { minLength: 1, maxLength: 6 }),
    changes: fc.array(change, { maxLength: 8 }),
    reversedSlots: fc.boolean(),
  }),
);

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario) {
  const before = (ms: number) => new Date(REPORT_TIME.getTime() - ms);
  let keySeq = 0;
  let userSeq = 0;
  const newKeyId = () => `AKIA${String(++keySeq).padStart(16, '0')}`;
  const newUserId = () => `AIDA${String(++userSeq).padStart(17, '0')}`;
  const createdAgo: number[] = [];
  const account = new IamAccount(
    s.users.map((spec, i): ModelUser => {
      const twin = spec.sameSecondAs === null || i === 0 ? undefined : createdAgo[spec.sameSecondAs % i];
      const created = twin ?? spec.created;
      createdAgo.push(created);
      const profileCreated = spec.profile === null ? null : Math.min(spec.profile, created);
      return {
        name: `user-${i}`,
        id: newUserId(),
        createDate: before(created),
        // PasswordLastUsed may outlive a deleted login profile, so it is drawn on its own.
        passwordLastUsed:
          spec.passwordLastUsed === null ? null : before(Math.min(spec.passwordLastUsed, created)),
        loginProfile: profileCreated === null ? null : { createDate: before(profileCreated) },
        passwordLastChanged: profileCreated === null ? null : before(profileCreated),
        keys: spec.keys.map((k) => {
          const keyCreated = Math.min(k.created, created);
          return {
            id: newKeyId(),
            status: k.active ? 'Active' : 'Inactive',
            createDate: before(keyCreated),
            lastUsed: k.lastUsed === null ? null : before(Math.min(k.lastUsed, keyCreated)),
          };
        }),
      };
    }),
  );
  const atReport = account.clone();
  const now = new Date(REPORT_TIME.getTime() + s.reportAgeMs);
  const at = (f: number, notBefore: Date) =>
    new Date(Math.max(notBefore.getTime(), REPORT_TIME.getTime() + Math.floor(f * s.reportAgeMs)));
  let created = 0;
  for (const c of s.changes) {
    const users = account.users;
    const u = users.length > 0 ? users[c.user % users.length] : undefined;
    const k = u?.keys[c.key % Math.max(1, u.keys.length)];
    switch (c.kind) {
      case 'use-key':
        if (k && k.status === 'Active') k.lastUsed = at(c.at, k.createDate);
        break;
      case 'use-password':
        if (u?.loginProfile) u.passwordLastUsed = at(c.at, u.loginProfile.createDate);
        break;
      case 'create-key':
        if (u && u.keys.length < 2) {
          const createDate = at(c.at, u.createDate);
          u.keys.push({
            id: newKeyId(),
            status: 'Active',
            createDate,
            lastUsed: c.flag ? at(c.at, createDate) : null,
          });
        }
        break;
      case 'delete-key':
        if (u && k) u.keys.splice(u.keys.indexOf(k), 1);
        break;
      case 'toggle-key':
        if (k) k.status = k.status === 'Active' ? 'Inactive' : 'Active';
        break;
      case 'delete-profile':
        if (u) u.loginProfile = null;
        break;
      case 'create-profile':
        if (u && !u.loginProfile) u.loginProfile = { createDate: at(c.at, u.createDate) };
        break;
      case 'delete-user':
        if (u) account.remove(u.name);
        break;
      case 'swap-names': {
        // Two users swap names (UpdateUser keeps UserId and CreateDate): within a same-second
        // group, each name now matches the other user's report row.
        const v = users[(c.user + 1) % users.length];
        if (!u || !v || u === v) break;
        account.remove(u.name);
        account.remove(v.name);
        account.add({ ...u, name: v.name });
        account.add({ ...v, name: u.name });
        break;
      }
      case 'create-user': {
        // Sometimes re-uses a name that is free again (its user was deleted).
        const name = c.flag && !account.user('user-0') ? 'user-0' : `created-${created++}`;
        account.add({
          name,
          id: newUserId(),
          createDate: at(c.at, REPORT_TIME),
          passwordLastUsed: null,
          loginProfile: null,
          passwordLastChanged: null,
          keys: [],
        });
        break;
      }
    }
  }
  return { account, atReport, now };
}

async function gather(source: UserFactsSource, now: Date, maxAgeDays: number): Promise<UserFacts[]> {
  const out: UserFacts[] = [];
  const context = {
    now,
    maxAgeDays,
    iamCalls: new CallCounter(),
    deadline: { check: () => undefined, remainingMs: () => 900_000 },
  };
  for await (const f of source.gather(context)) out.push(f);
  return out;
}

function verdicts(facts: readonly UserFacts[], now: Date, maxAgeDays: number): Record<string, string> {
  const policy = { maxAgeDays, exclusions: ExclusionList.EMPTY };
  return Object.fromEntries(
    facts.map((f) => {
      const v = decide(f, policy, now);
      return [f.userId, [v.compliance, v.revoke.password, ...[...v.revoke.accessKeyIds].sort()].join(' ')];
    }),
  );
}

describe('report-first and per-user strategies', () => {
  it('give identical verdicts for random accounts, report ages and changes since the report', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { account, atReport, now } = build(s);
        const report = {
          csv: renderCredentialReport(atReport, { slotOrder: s.reversedSlots ? 'reversed' : 'asListed' }),
          generatedTime: REPORT_TIME,
        };
        const a = serveIam(account, { report });
        const reportFirst = new CredentialReportFirstSource({
          iam: a.client,
          logger: quiet,
          fallback: createPerUserSource({ iam: a.client, logger: quiet }),
        });
        const fromReport = verdicts(await gather(reportFirst, now, s.maxAgeDays), now, s.maxAgeDays);
        expect(reportFirst.lastRun?.source).toBe('credential-report');
        const b = serveIam(account, { report });
        const perUser = verdicts(
          await gather(createPerUserSource({ iam: b.client, logger: quiet }), now, s.maxAgeDays),
          now,
          s.maxAgeDays,
        );
        const truth = verdicts(account.facts(), now, s.maxAgeDays);
        expect(fromReport).toEqual(perUser);
        expect(perUser).toEqual(truth);
      }),
      { seed: 20250601, numRuns: 300 },
    );
  });
});
