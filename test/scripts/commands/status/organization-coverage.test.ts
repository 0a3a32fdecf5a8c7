import { ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeOrganizationConformancePacksCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
} from '@aws-sdk/client-config-service';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import {
  EXCLUSIONS_ROLE_NAME,
  ORG_CONFORMANCE_PACK_NAME,
  STACKSET_NAME,
} from '../../../../conformance-pack/names';
import { EXCLUDED_NOTE, MANAGEMENT_NOT_COVERED } from '../../../../scripts/lib/aws/organization';
import { awsError, manyAccounts, runCli } from '../../../support/harness';
import {
  type Fixture,
  freshMocks,
  HEALTHY_PAIR,
  install,
  json,
  MANAGEMENT,
  MIXED,
  mocks,
  OK_TIME,
  useMocks,
} from './fixture';

useMocks();

describe('status (organization)', () => {
  it('names each unhealthy account and why; reads the rule through the exclusions role', async () => {
    // Given
    install(mocks, MIXED);
    mocks.sts
      .on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::888888888888:role/${EXCLUSIONS_ROLE_NAME}` })
      .rejects(awsError('AccessDenied', 'no such role'));
    // When
    const { code, rows, stderr } = await json();
    // Then
    expect(code).toBe(1);
    const byId = new Map(rows.map((r) => [r.accountId, r]));
    expect(rows.map((r) => r.accountId)).toEqual([
      '111111111111',
      '222222222222',
      '444444444444',
      MANAGEMENT,
      '888888888888',
    ]);

    expect(byId.get('111111111111')).toMatchObject({
      healthy: true,
      problems: [],
      rule: { kind: 'found', lastSuccessfulEvaluation: OK_TIME.toISOString(), lastError: null },
    });
    expect(byId.get('222222222222')?.healthy).toBe(false);
    expect(byId.get('222222222222')?.problems[0]).toContain(
      'last evaluation failed at 2025-08-27T01:00:00.000Z: Lambda.ExclusionListUnavailableError: exclusion list unreadable',
    );
    expect(byId.get('444444444444')?.problems).toEqual([
      'StackSet instance eu-west-1 OUTDATED/FAILED: Account 1 should have ...',
      'conformance pack CREATE_FAILED (InsufficientPermissionsException: The rule cannot invoke the function)',
    ]);
    const legacy = byId.get('888888888888');
    expect(legacy?.scope).toBe('included');
    expect(legacy?.problems[0]).toBe(
      'pack without evaluator: the rule has no Lambda to call here (no StackSet instance); check the StackSet deployment targets',
    );
    expect(legacy?.problems[1]).toContain('rule status unavailable');
    expect(legacy?.problems[1]).toContain('AccessDenied');
    // Excluded (as always): a leftover pack there is a note, and its rule is not read (no role there).
    expect(byId.get(MANAGEMENT)).toMatchObject({
      scope: 'excluded',
      healthy: true,
      problems: [],
      note: `${EXCLUDED_NOTE}, yet the conformance pack (CREATE_SUCCESSFUL) is still here: its rule has no evaluator to call until Config removes the pack from this excluded account`,
    });
    expect(mocks.sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).not.toContain(
      `arn:aws:iam::${MANAGEMENT}:role/${EXCLUSIONS_ROLE_NAME}`,
    );

    expect(mocks.cloudFormation.commandCalls(ListStackInstancesCommand)[0]?.args[0].input).toMatchObject({
      StackSetName: STACKSET_NAME,
      CallAs: 'DELEGATED_ADMIN',
    });
    expect(
      mocks.config.commandCalls(GetOrganizationConformancePackDetailedStatusCommand)[0]?.args[0].input,
    ).toMatchObject({ OrganizationConformancePackName: ORG_CONFORMANCE_PACK_NAME, Limit: 100 });
    expect(stderr).toContain('status: 3 of 5 account(s) not healthy');
  });

  it('prints a table with one row per account', async () => {
    // Given
    install(mocks, MIXED);
    // When
    const { stdout } = await runCli(['status']);
    // Then
    expect(stdout.split('\n')[0]).toMatch(
      /^ACCOUNT\s+NAME\s+STACKSET\s+PACK\s+LAST EVALUATION\s+LAST ERROR\s+REMEDIATION\s+LAST RUN \(HEARTBEAT\)\s+HEALTH$/,
    );
    expect(stdout).toMatch(
      /111111111111\s+workloads\s+CURRENT\s+CREATE_SUCCESSFUL\s+2025-08-27T01:00:00.000Z\s+-\s+none\s+2025-08-27T01:00:00.000Z\s+ok/,
    );
    expect(stdout).toMatch(
      /222222222222\s+sandbox\s+CURRENT\s+UPDATE_SUCCESSFUL\s+2025-08-26T01:00:00.000Z\s+Lambda.ExclusionListUnavailableError/,
    );
  });

  it('exits 0 when every account is healthy, across pages (>100 accounts)', async () => {
    // Given
    const accounts = manyAccounts(130);
    install(
      mocks,
      {
        accounts,
        instances: Object.fromEntries(accounts.map(([id]) => [id, ['CURRENT', 'SUCCEEDED']])),
        packs: Object.fromEntries(accounts.map(([id]) => [id, ['CREATE_SUCCESSFUL']])),
        rules: Object.fromEntries(accounts.map(([id]) => [id, { ok: OK_TIME }])),
      },
      50,
    );
    // When
    const { code, rows } = await json(['--concurrency', '16']);
    // Then
    expect(rows).toHaveLength(130);
    expect(rows.every((r) => r.healthy)).toBe(true);
    expect(code).toBe(0);
    expect(mocks.cloudFormation.commandCalls(ListStackInstancesCommand)).toHaveLength(3);
    expect(mocks.config.commandCalls(GetOrganizationConformancePackDetailedStatusCommand)).toHaveLength(2);
  });

  it('reports an account that has neither piece and is not excluded as not deployed', async () => {
    // Given
    install(mocks, {
      ...MIXED,
      accounts: [['777777777777', 'fresh']],
      instances: {},
      packs: {},
      rules: {},
      excluded: [MANAGEMENT, '444444444444'],
    });
    // When
    const { code, rows } = await json();
    // Then
    expect(code).toBe(1);
    expect(rows[0]).toMatchObject({ scope: 'included', healthy: false });
    expect(rows[0]?.problems).toEqual([
      'not deployed: neither the StackSet instance nor the conformance pack is in this account',
    ]);
    expect(rows[0]?.note).toBeUndefined();
    expect(mocks.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('treats the management account without either piece as not covered (healthy, with a note)', async () => {
    // Given
    install(mocks, {
      accounts: [
        ['111111111111', 'workloads'],
        [MANAGEMENT, 'management'],
      ],
      instances: { '111111111111': ['CURRENT', 'SUCCEEDED'] },
      packs: { '111111111111': ['CREATE_SUCCESSFUL'] },
      rules: { '111111111111': { ok: OK_TIME } },
    });
    // When
    const { code, stdout } = await runCli(['status']);
    // Then
    expect(code).toBe(0);
    expect(stdout).toMatch(/555555555555\s+management\s+absent\s+absent\s+-\s+-\s+-\s+-\s+ok \(see note\)$/m);
    expect(stdout).toMatch(/^Notes\n555555555555 management: management account: not reached/m);
    const { rows } = await json();
    expect(rows[1]).toEqual(
      expect.objectContaining({
        scope: 'excluded',
        healthy: true,
        problems: [],
        note: MANAGEMENT_NOT_COVERED,
      }),
    );
  });

  it('an excluded account without either piece is healthy with a note (exit 0); only the excluded are', async () => {
    // Given
    const fixture: Fixture = {
      accounts: [
        ['111111111111', 'workloads'],
        ['444444444444', 'partner'],
        [MANAGEMENT, 'management'],
      ],
      instances: { '111111111111': ['CURRENT', 'SUCCEEDED'] },
      packs: { '111111111111': ['CREATE_SUCCESSFUL'] },
      rules: { '111111111111': { ok: OK_TIME } },
      excluded: [MANAGEMENT, '444444444444'],
    };
    install(mocks, fixture);
    // When
    const { code, rows, stderr } = await json();
    // Then
    expect(code).toBe(0);
    expect(stderr).not.toContain('not healthy');
    expect(rows.map((r) => [r.accountId, r.scope, r.healthy, r.problems, r.note])).toEqual([
      ['111111111111', 'included', true, [], undefined],
      ['444444444444', 'excluded', true, [], EXCLUDED_NOTE],
      [MANAGEMENT, 'excluded', true, [], MANAGEMENT_NOT_COVERED],
    ]);
    // Read once, with the operator's own credentials in the delegated-admin account.
    const reads = mocks.config.commandCalls(DescribeOrganizationConformancePacksCommand);
    expect(reads).toHaveLength(1);
    expect(reads[0]?.args[0].input).toEqual({
      OrganizationConformancePackNames: [ORG_CONFORMANCE_PACK_NAME],
    });
    expect(mocks.sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::111111111111:role/${EXCLUSIONS_ROLE_NAME}`,
    ]);

    const table = await runCli(['status']);
    expect(table.stdout).toMatch(
      /^444444444444\s+partner\s+absent\s+absent\s+-\s+-\s+-\s+-\s+ok \(see note\)$/m,
    );
    expect(table.stdout).toContain(
      `\nNotes\n444444444444 partner: ${EXCLUDED_NOTE}\n555555555555 management:`,
    );

    // The same account, no longer excluded: not deployed again.
    freshMocks();
    install(mocks, { ...fixture, excluded: [MANAGEMENT] });
    const again = await json();
    expect(again.code).toBe(1);
    expect(again.rows[1]?.problems[0]).toMatch(/^not deployed: neither/);
  });

  it('an excluded account the StackSet still reaches is a note; a failed instance there is a problem', async () => {
    // Given
    install(mocks, {
      accounts: [
        ['111111111111', 'workloads'],
        ['222222222222', 'partner'],
        ['444444444444', 'vendor'],
      ],
      instances: {
        '111111111111': ['CURRENT', 'SUCCEEDED'],
        '222222222222': ['CURRENT', 'SUCCEEDED'],
        '444444444444': ['OUTDATED', 'FAILED'],
      },
      packs: { '111111111111': ['CREATE_SUCCESSFUL'], '444444444444': ['DELETE_IN_PROGRESS'] },
      rules: { '111111111111': { ok: OK_TIME } },
      excluded: [MANAGEMENT, '222222222222', '444444444444'],
    });
    // When
    const { code, rows, stdout } = await json();
    // Then
    expect(code).toBe(1);
    expect(rows[1]).toMatchObject({
      healthy: true,
      problems: [],
      note: `${EXCLUDED_NOTE}, yet its StackSet instance (CURRENT) is still here, unused: the StackSet deploys to whole OUs, and no rule calls the evaluator`,
    });
    expect(rows[2]).toMatchObject({
      healthy: false,
      pack: { present: true, summary: 'DELETE_IN_PROGRESS' },
      problems: ['StackSet instance eu-west-1 OUTDATED/FAILED: Account 1 should have ...'],
    });
    expect(rows[2]?.note).toContain('the conformance pack (DELETE_IN_PROGRESS) are still here');
    // With the evaluator alone there is no rule to read in an excluded account.
    expect(
      mocks.sts
        .commandCalls(AssumeRoleCommand)
        .map((c) => c.args[0].input.RoleArn)
        .sort(),
    ).toEqual([
      `arn:aws:iam::111111111111:role/${EXCLUSIONS_ROLE_NAME}`,
      `arn:aws:iam::444444444444:role/${EXCLUSIONS_ROLE_NAME}`,
    ]);
    // One document: the rows as they are, then the reconciler's view (status/reconciler.ts).
    const { rollout } = JSON.parse(stdout) as { rollout: unknown };
    expect(stdout).toBe(`${JSON.stringify({ schemaVersion: 1, accounts: rows, rollout }, null, 2)}\n`);
    const table = await runCli(['status']);
    // The note explains a failing excluded account too.
    expect(table.stdout).toMatch(/^Problems\n444444444444 vendor\n {2}- StackSet instance/m);
    expect(table.stdout).toMatch(/^444444444444 vendor: excluded from the deployment/m);
  });

  it('an excluded account still holding both pieces reads the rule; its failures are problems', async () => {
    // Given
    install(mocks, {
      ...HEALTHY_PAIR,
      rules: { '111111111111': { ok: OK_TIME }, '222222222222': { failed: OK_TIME, code: 'Timeout' } },
      excluded: [MANAGEMENT, '222222222222'],
    });
    // When
    const { code, rows } = await json();
    // Then
    expect(code).toBe(1);
    expect(rows[1]?.problems).toEqual([
      `last evaluation failed at ${OK_TIME.toISOString()}: Timeout (the evaluator fails closed; see its logs)`,
    ]);
    expect(rows[1]?.note).toContain('the rule may still evaluate and remediate here');
  });
});
