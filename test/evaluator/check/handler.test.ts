import { ListDiscoveredResourcesCommand } from '@aws-sdk/client-config-service';
import { GetLoginProfileCommand } from '@aws-sdk/client-iam';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExclusionListMissingError } from '../../../evaluator/aws/exclusion-parameter';
import { createCheckHandler } from '../../../evaluator/check/handler';
import { CheckLookupError, UserIdentityMismatchError } from '../../../evaluator/check/user-lookup';
import { IamReadError, InvalidEventError } from '../../../evaluator/errors';
import { NO_EXCLUSIONS_VALUE } from '../../../evaluator/exclusions';
import { collectingLogger, daysAgo, iamError, NOW, userId } from '../handler-fixtures';
import { checkEvent, clients, configMock, type FakeAccount, iamMock, serveAccount } from './fixtures';

const ALICE = userId(1);
let account: FakeAccount;
let logger: ReturnType<typeof collectingLogger>;
const check = () => createCheckHandler({ ...clients(), clock: () => NOW, logger });

beforeEach(() => {
  // alice's only key was last used 200 days ago: the periodic run found her NON_COMPLIANT.
  account = {
    users: [
      {
        name: 'alice',
        id: ALICE,
        keys: [{ id: 'AKIAALICE0000000001', created: daysAgo(400), lastUsed: daysAgo(200) }],
      },
    ],
    exclusions: NO_EXCLUSIONS_VALUE,
    exclusionVersion: 3,
  };
  logger = collectingLogger();
});

const metric = (name: string) => logger.json().filter((line) => line[name] === 1).length;

describe('revocation check (the remediation asks it right before the runbook)', () => {
  it('still stale and not excluded → REVOKE', async () => {
    serveAccount(account);
    const result = await check()(checkEvent(ALICE));
    expect(result).toMatchObject({
      decision: 'REVOKE',
      reason: 'stale',
      resourceId: ALICE,
      userName: 'alice',
      exclusionParameterVersion: 3,
      checkedAt: NOW.toISOString(),
    });
    expect(result.detail).toContain('will be revoked');
    expect(metric('RevocationCheckRevoke')).toBe(1);
  });

  it('excluded since the verdict (by name, any case) → KEEP', async () => {
    account.exclusions = 'bob,ALICE';
    account.exclusionVersion = 4;
    serveAccount(account);
    const result = await check()(checkEvent(ALICE));
    expect(result).toMatchObject({ decision: 'KEEP', reason: 'excluded', exclusionParameterVersion: 4 });
    expect(metric('RevocationCheckKeep')).toBe(1);
  });

  it('key used since the verdict → KEEP', async () => {
    account.users = [
      {
        name: 'alice',
        id: ALICE,
        keys: [{ id: 'AKIAALICE0000000001', created: daysAgo(400), lastUsed: daysAgo(0) }],
      },
    ];
    serveAccount(account);
    expect(await check()(checkEvent(ALICE))).toMatchObject({ decision: 'KEEP', reason: 'not-stale' });
  });

  it('user gone (Config or IAM no longer knows it) → KEEP, nothing to revoke', async () => {
    account.inventory = new Map();
    serveAccount(account);
    expect(await check()(checkEvent(ALICE))).toMatchObject({
      decision: 'KEEP',
      reason: 'user-not-found',
      userName: null,
    });
  });

  it('exclusion parameter deleted → fails, ERROR line and metrics, nothing decided', async () => {
    account.exclusions = undefined;
    serveAccount(account);
    await expect(check()(checkEvent(ALICE))).rejects.toThrow(ExclusionListMissingError);
    const error = logger.json().find((l) => l.level === 'ERROR');
    expect(error).toMatchObject({
      message: 'revocation check failed: nothing revoked',
      errorName: 'ExclusionListMissingError',
    });
    expect(metric('RevocationCheckFailed')).toBe(1);
    expect(metric('ExclusionListMissing')).toBe(1);
    expect(metric('RevocationCheckRevoke')).toBe(0);
  });

  it('IAM read denied → fails (IamReadError)', async () => {
    serveAccount(account);
    iamMock.on(GetLoginProfileCommand).rejects(iamError('AccessDenied'));
    await expect(check()(checkEvent(ALICE))).rejects.toThrow(IamReadError);
    expect(metric('RevocationCheckFailed')).toBe(1);
  });

  it('Config inventory throttled → fails (CheckLookupError names the operation)', async () => {
    serveAccount(account);
    configMock.on(ListDiscoveredResourcesCommand).rejects(iamError('ThrottlingException', 'Rate exceeded'));
    const error = await check()(checkEvent(ALICE)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckLookupError);
    expect((error as Error).message).toContain('ListDiscoveredResources failed for resource id');
  });

  it('the inventory name now belongs to another user → fails, never revokes the wrong one', async () => {
    account.users = [{ name: 'alice', id: userId(2), keys: [] }];
    account.inventory = new Map([[ALICE, 'alice']]);
    serveAccount(account);
    await expect(check()(checkEvent(ALICE))).rejects.toThrow(UserIdentityMismatchError);
  });

  it.each([
    [{ IAMResourceId: 'alice' }, 'IAMResourceId must be an IAM UserId'],
    [{ MaxCredentialUsageAge: 'ninety' }, 'MaxCredentialUsageAge must be a whole number'],
    [{ maxCredentialUsageAge: '90' }, 'Unknown key(s) "maxCredentialUsageAge"'],
  ])('refuses a malformed event %j', async (overrides, message) => {
    serveAccount(account);
    const error = await check()(checkEvent(ALICE, overrides)).catch((e: unknown) => e);
    expect((error as Error).message).toContain(message);
    expect(error instanceof InvalidEventError || (error as Error).name === 'InvalidRuleParameterError').toBe(
      true,
    );
  });
});
