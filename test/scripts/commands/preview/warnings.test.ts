import { describe, expect, it } from 'vitest';
import { daysBefore, givenSnapshot, run, runJson, user } from './fixture';

/** One active key per user, last used `days` days before NOW. */
function keyUser(name: string, n: number, days: number) {
  return user({
    userName: name,
    userId: `AIDAAAAAAAAAAAAAAAA${n}`,
    accessKeys: [
      {
        accessKeyId: `AKIAAAAAAAAAAAAAAAA${n}`,
        status: 'Active',
        createDate: daysBefore(400),
        lastUsedDate: daysBefore(days),
      },
    ],
  });
}

const SNAPSHOT = () =>
  givenSnapshot('warnings.json', [
    keyUser('enters-today', 1, 23), // 7 days left: enters the window today
    keyUser('inside', 2, 25), // 5 days left: warned two days ago, nothing today
    keyUser('last-day', 3, 29), // 1 day left
    keyUser('excluded', 4, 23),
    keyUser('stale', 5, 30),
  ]);

describe('preview: who would be warned today', () => {
  it('json: warnedToday lists the credentials entering the window and those on their last day', async () => {
    const { doc } = await runJson([
      'preview',
      '--snapshot',
      SNAPSHOT(),
      '--max-age',
      '30',
      '--exclude',
      'excluded',
    ]);
    expect(doc.warnDaysBeforeRevoke).toBe(7);
    expect(doc.warnedToday).toEqual([
      {
        accountId: '111111111111',
        userName: 'enters-today',
        userId: 'AIDAAAAAAAAAAAAAAAA1',
        credential: { type: 'accessKey', accessKeyId: 'AKIAAAAAAAAAAAAAAAA1' },
        lastUsed: '2025-08-04T03:00:00.000Z',
        revokeOn: '2025-09-03',
        daysLeft: 7,
        warning: 'entering-window',
      },
      expect.objectContaining({
        userName: 'last-day',
        daysLeft: 1,
        warning: 'last-day',
        revokeOn: '2025-08-28',
      }),
    ]);
  });

  it('table: a section after the verdicts', async () => {
    const { stdout } = await run([
      'preview',
      '--snapshot',
      SNAPSHOT(),
      '--max-age',
      '30',
      '--exclude',
      'excluded',
    ]);
    const section = stdout.slice(stdout.indexOf('Would be warned today'));
    const lines = section.trimEnd().split('\n');
    expect(lines[0]).toBe('Would be warned today (7 days before revocation, daily runs): 2');
    expect(lines[1]).toMatch(/^USER +CREDENTIAL +REVOKE ON +DAYS LEFT +WARNING$/);
    expect(lines[3]).toMatch(/^enters-today +key AKIAAAAAAAAAAAAAAAA1 +2025-09-03 +7 +entering-window$/);
    expect(lines[4]).toMatch(/^last-day +key AKIAAAAAAAAAAAAAAAA3 +2025-08-28 +1 +last-day$/);
  });

  it('--warn-days 0: no warnings, said so; a bad value is a usage error', async () => {
    const off = await runJson(['preview', '--snapshot', SNAPSHOT(), '--max-age', '30', '--warn-days', '0']);
    expect(off.doc.warnedToday).toEqual([]);
    const table = await run(['preview', '--snapshot', SNAPSHOT(), '--max-age', '30', '--warn-days', '0']);
    expect(table.stdout).toContain('Warnings are off (--warn-days 0).');
    const bad = await run(['preview', '--snapshot', SNAPSHOT(), '--max-age', '30', '--warn-days', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /--warn-days must be a whole number of days from 0 \(warnings off\) to 365, got "soon"/,
    );
  });
});
