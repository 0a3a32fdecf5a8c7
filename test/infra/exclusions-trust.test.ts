import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { ExclusionsAdminPrincipal, parseAdminPrincipalArns } from '../../infra/exclusions-trust';

const ADMIN = '222222222222';
const OPERATORS = `arn:aws:iam::${ADMIN}:role/IamUnusedOperators`;
const SSO = `arn:aws:iam::${ADMIN}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_IamUnused_*`;

describe('exclusionsAdminPrincipalArns', () => {
  it('accepts role ARNs of the delegated-admin account, a "*" suffix included, without duplicates', () => {
    const { principals, problems } = parseAdminPrincipalArns([OPERATORS, SSO, OPERATORS], 'aws', ADMIN);
    expect(problems).toEqual([]);
    expect(principals).toEqual({ arns: [OPERATORS, SSO], accountIds: [ADMIN] });
  });

  it('accepts a comma-separated string (-c on the command line)', () => {
    expect(parseAdminPrincipalArns(`${OPERATORS}, ${SSO}`, 'aws', ADMIN).principals.arns).toEqual([
      OPERATORS,
      SSO,
    ]);
  });

  it.each([
    [undefined, 'is required'],
    [[], 'is required'],
    [[`arn:aws:iam::${ADMIN}:root`], 'must be an IAM role ARN'],
    [[ADMIN], 'must be an IAM role ARN'],
    [[`arn:aws:iam::${ADMIN}:user/alice`], 'must be an IAM role ARN'],
    [[`arn:aws:iam::${ADMIN}:role/*`], 'may not be empty or only "*"'],
    [[`arn:aws:iam::${ADMIN}:role/ops/*`], 'may not be empty or only "*"'],
    [['arn:aws:iam::333333333333:role/Ops'], 'must be a role of the delegated-admin account 222222222222'],
    [[`arn:aws-cn:iam::${ADMIN}:role/Ops`], 'must be in partition aws'],
  ])('refuses %j: %s', (value, message) => {
    const { problems } = parseAdminPrincipalArns(value, 'aws', ADMIN);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
    expect(problems[0]).toMatch(/^exclusionsAdminPrincipalArns = /);
  });

  it('in account mode, roles of any account are accepted', () => {
    expect(
      parseAdminPrincipalArns(['arn:aws:iam::333333333333:role/Ops'], 'aws', undefined).problems,
    ).toEqual([]);
  });
});

describe('the exclusions role trust', () => {
  it('names the configured roles only, requires a SourceIdentity and the CLI session prefix', () => {
    const stack = new Stack(new App(), 'T');
    const { principals } = parseAdminPrincipalArns([OPERATORS, SSO], 'aws', ADMIN);
    new Role(stack, 'R', { assumedBy: new ExclusionsAdminPrincipal(principals, 'aws') });
    const role = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0] as {
      Properties: { AssumeRolePolicyDocument: { Statement: unknown[] } };
    };
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
        Principal: { AWS: `arn:aws:iam::${ADMIN}:root` },
        Condition: {
          ArnLike: { 'aws:PrincipalArn': [OPERATORS, SSO] },
          StringLike: { 'sts:SourceIdentity': '?*', 'sts:RoleSessionName': 'iam-unused-*' },
        },
      },
    ]);
  });
});
