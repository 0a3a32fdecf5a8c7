import { ConfigServiceClient, ListDiscoveredResourcesCommand } from '@aws-sdk/client-config-service';
import { GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { ACCOUNT_ID, daysAgo, type FakeUser, noSuchEntity, serveIamAccount } from '../handler-fixtures';

/**
 * One member account in memory for the revocation check: IAM users, Config's inventory (resource
 * id → name, which may lag behind IAM) and the exclusion parameter, answered through
 * aws-sdk-client-mock. Tests change the account between the verdict and the check.
 */
export const PARAMETER = '/iam-unused-user-cleanup/excluded-users';

export const iamMock = mockClient(IAMClient);
export const ssmMock = mockClient(SSMClient);
export const configMock = mockClient(ConfigServiceClient);

export interface FakeAccount {
  users: FakeUser[];
  /** The parameter value; undefined = the parameter does not exist. */
  exclusions: string | undefined;
  exclusionVersion: number;
  /** Config's inventory; defaults to the users' current names. */
  inventory?: Map<string, string>;
}

export function serveAccount(account: FakeAccount): void {
  iamMock.reset();
  ssmMock.reset();
  configMock.reset();
  serveIamAccount(iamMock, account.users);
  iamMock.on(GetUserCommand).callsFake((input: { UserName: string }) => {
    const user = account.users.find((u) => u.name.toLowerCase() === input.UserName.toLowerCase());
    if (!user) throw noSuchEntity(`The user with name ${input.UserName} cannot be found.`);
    return {
      User: {
        UserName: user.name,
        UserId: user.id,
        Arn: `arn:aws:iam::${ACCOUNT_ID}:user/${user.name}`,
        Path: '/',
        CreateDate: daysAgo(1000),
        ...(user.passwordLastUsed ? { PasswordLastUsed: user.passwordLastUsed } : {}),
      },
    };
  });
  configMock.on(ListDiscoveredResourcesCommand).callsFake((input: { resourceIds?: string[] }) => {
    const inventory = account.inventory ?? new Map(account.users.map((u) => [u.id, u.name]));
    return {
      resourceIdentifiers: (input.resourceIds ?? []).flatMap((id) => {
        const name = inventory.get(id);
        return name === undefined
          ? []
          : [{ resourceType: 'AWS::IAM::User', resourceId: id, resourceName: name }];
      }),
    };
  });
  ssmMock.on(GetParameterCommand, { Name: PARAMETER }).callsFake(() => {
    if (account.exclusions === undefined) {
      throw new ParameterNotFound({ message: `Parameter ${PARAMETER} not found.`, $metadata: {} });
    }
    return { Parameter: { Name: PARAMETER, Value: account.exclusions, Version: account.exclusionVersion } };
  });
}

export const clients = () => ({
  iam: new IAMClient({ region: 'us-east-1' }),
  ssm: new SSMClient({ region: 'us-east-1' }),
  config: new ConfigServiceClient({ region: 'us-east-1' }),
});

export function checkEvent(resourceId: string, overrides: Record<string, unknown> = {}) {
  return {
    IAMResourceId: resourceId,
    MaxCredentialUsageAge: '90',
    ExclusionParameterName: PARAMETER,
    ...overrides,
  };
}
