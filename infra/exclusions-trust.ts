import {
  type PolicyDocument,
  PolicyStatement,
  PrincipalBase,
  PrincipalPolicyFragment,
} from 'aws-cdk-lib/aws-iam';

/**
 * Who may assume the exclusions role: only the IAM roles listed in the setting
 * `exclusionsAdminPrincipalArns`, and only with a SourceIdentity, so every edit of a member's
 * exclusion list names the person behind it in that member's CloudTrail. Contract for the CLI:
 * docs/exclusions-safety.md, "Who may edit a list".
 */

export const EXCLUSIONS_ADMIN_SETTING = 'exclusionsAdminPrincipalArns';
/** The CLI's role session names start with this (the trust requires it). */
export const EXCLUSIONS_SESSION_PREFIX = 'iam-unused-';

/**
 * arn:<partition>:iam::<account>:role/<path/><name>; `*` is allowed inside the path and name (IAM
 * Identity Center roles carry a random suffix) but never as a whole segment's only content.
 */
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/([\w+=,.@*/-]+)$/;

export interface AdminPrincipals {
  readonly arns: readonly string[];
  readonly accountIds: readonly string[];
}

/**
 * Validates the setting; returns the problems (one line each) instead of throwing, so the
 * settings parser can list every problem at once. `accountId` is the one account the roles must
 * be in (the delegated administrator), or undefined to accept any account (account mode).
 */
export function parseAdminPrincipalArns(
  value: unknown,
  partition: string,
  accountId: string | undefined,
): { readonly principals: AdminPrincipals; readonly problems: string[] } {
  const problems: string[] = [];
  const problem = (got: unknown, fix: string) =>
    problems.push(`${EXCLUSIONS_ADMIN_SETTING} = ${JSON.stringify(got)}: ${fix}`);
  const arns: string[] = [];
  const items = Array.isArray(value)
    ? value
    : typeof value === 'string' && value.trim() !== ''
      ? value.split(',').map((s) => s.trim())
      : [];
  if (items.length === 0) {
    problem(
      value,
      'is required: the IAM role ARNs (in the delegated-admin account) allowed to edit exclusion lists, e.g. ' +
        '["arn:aws:iam::222222222222:role/IamUnusedOperators"]. An account root is not accepted.',
    );
  }
  for (const item of items) {
    const m = typeof item === 'string' ? ROLE_ARN.exec(item) : null;
    if (!m) {
      problem(
        item,
        'each entry must be an IAM role ARN, e.g. "arn:aws:iam::222222222222:role/IamUnusedOperators" (no account root, no user).',
      );
      continue;
    }
    const [, itemPartition, itemAccount, rolePath] = m as unknown as [string, string, string, string];
    if (rolePath.split('/').some((segment) => segment === '' || /^\*+$/.test(segment))) {
      problem(
        item,
        'a path or name segment may not be empty or only "*": name the role (a "*" may stand for a suffix).',
      );
    } else if (itemPartition !== partition) {
      problem(item, `must be in partition ${partition} (the home region's).`);
    } else if (accountId !== undefined && itemAccount !== accountId) {
      problem(item, `must be a role of the delegated-admin account ${accountId}.`);
    } else if (!arns.includes(item)) {
      arns.push(item);
    }
  }
  const accountIds = [...new Set(arns.map((a) => (ROLE_ARN.exec(a) as RegExpExecArray)[2] as string))];
  return { principals: { arns, accountIds }, problems };
}

/**
 * The trust: the accounts of the configured roles as principals, narrowed by aws:PrincipalArn to
 * exactly those roles (ArnLike so a configured "*" suffix works, and a role deleted and re-created
 * under the same name keeps working), with a SourceIdentity required and the session name prefixed.
 * sts:SetSourceIdentity is allowed in the same statement, as STS requires.
 */
export class ExclusionsAdminPrincipal extends PrincipalBase {
  readonly policyFragment: PrincipalPolicyFragment;

  constructor(
    private readonly admins: AdminPrincipals,
    partition: string,
  ) {
    super();
    this.policyFragment = new PrincipalPolicyFragment(
      { AWS: admins.accountIds.map((id) => `arn:${partition}:iam::${id}:root`) },
      exclusionsTrustConditions(admins),
    );
  }

  override addToAssumeRolePolicy(document: PolicyDocument): void {
    document.addStatements(
      new PolicyStatement({ actions: ['sts:AssumeRole', 'sts:SetSourceIdentity'], principals: [this] }),
    );
  }

  override dedupeString(): string | undefined {
    return `ExclusionsAdminPrincipal:${this.admins.arns.join(',')}`;
  }

  override toString(): string {
    return `ExclusionsAdminPrincipal(${this.admins.arns.join(', ')})`;
  }
}

export function exclusionsTrustConditions(admins: AdminPrincipals): Record<string, Record<string, unknown>> {
  return {
    ArnLike: { 'aws:PrincipalArn': [...admins.arns] },
    // Present only when the caller set one: requires it.
    StringLike: { 'sts:SourceIdentity': '?*', 'sts:RoleSessionName': `${EXCLUSIONS_SESSION_PREFIX}*` },
  };
}
