import { ActivateOrganizationsAccessCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeOrganizationCommand,
  EnableAWSServiceAccessCommand,
  type OrganizationsClient,
  paginateListAWSServiceAccessForOrganization,
  paginateListDelegatedAdministrators,
  paginateListRoots,
  RegisterDelegatedAdministratorCommand,
} from '@aws-sdk/client-organizations';
import { type AwsClients, awsClients } from '../../lib/aws/clients';
import { describeFailure } from '../../lib/aws/errors';
import { listOrganizationAccounts } from '../../lib/aws/organization';
import { allItems, pagesOf } from '../../lib/aws/pages';
import { EXIT } from '../../lib/terminal/cli-context';
import type { RegisterCommand } from '../../lib/terminal/command';
import { addAwsOptions, addOutputOption, awsOptionsOf, parseAccountId } from '../../lib/terminal/options';
import { table, writeJson } from '../../lib/terminal/output';
import {
  deployCommand,
  isBlocked,
  type OrganizationFacts,
  planRollout,
  type RolloutAction,
  type RolloutStep,
  SERVICE_PRINCIPALS,
  type ServicePrincipal,
} from './plan';

/**
 * `iam-unused rollout` (management account): checks, and with --apply sets up, what the
 * delegated-admin deployment needs. Idempotent: a second run finds everything done.
 */

interface RolloutOptions {
  profile?: string;
  region?: string;
  output: 'table' | 'json';
  delegatedAdmin?: string;
  apply?: boolean;
  deployProfile?: string;
}

interface StepResult extends RolloutStep {
  readonly outcome: 'done' | 'would do' | 'blocked' | 'applied' | 'failed' | 'not attempted';
  readonly error?: string;
}

async function observe(clients: AwsClients): Promise<OrganizationFacts & { rootId: string }> {
  const org: OrganizationsClient = clients.organizations;
  const [described, caller, accounts, trusted, roots] = await Promise.all([
    org.send(new DescribeOrganizationCommand({})),
    clients.callerIdentity(),
    listOrganizationAccounts(org),
    allItems(
      paginateListAWSServiceAccessForOrganization(pagesOf(org), {}),
      (p) => p.EnabledServicePrincipals,
    ),
    allItems(paginateListRoots(pagesOf(org), {}), (p) => p.Roots),
  ]);
  const delegated = new Map<ServicePrincipal, string[]>();
  for (const principal of SERVICE_PRINCIPALS) {
    const admins = await allItems(
      paginateListDelegatedAdministrators(pagesOf(org), { ServicePrincipal: principal }),
      (p) => p.DelegatedAdministrators,
    );
    delegated.set(
      principal,
      admins.flatMap((a) => (a.Id ? [a.Id] : [])),
    );
  }
  return {
    featureSet: String(described.Organization?.FeatureSet ?? 'UNKNOWN'),
    managementAccountId: described.Organization?.MasterAccountId ?? '',
    callerAccountId: caller.accountId,
    accountIds: new Set(accounts.map((a) => a.id)),
    trustedPrincipals: new Set(trusted.flatMap((p) => (p.ServicePrincipal ? [p.ServicePrincipal] : []))),
    delegatedAdmins: delegated,
    rootId: roots[0]?.Id ?? '',
  };
}

async function perform(clients: AwsClients, action: RolloutAction): Promise<void> {
  switch (action.kind) {
    case 'activate-stacksets-access':
      await clients.cloudFormation.send(new ActivateOrganizationsAccessCommand({}));
      return;
    case 'enable-service-access':
      await clients.organizations.send(
        new EnableAWSServiceAccessCommand({ ServicePrincipal: action.principal }),
      );
      return;
    case 'register-delegated-admin':
      await clients.organizations.send(
        new RegisterDelegatedAdministratorCommand({
          AccountId: action.accountId,
          ServicePrincipal: action.principal,
        }),
      );
      return;
  }
}

export const registerRollout: RegisterCommand = (program, io, outcome) => {
  const command = program
    .command('rollout')
    .description(
      'Management account: check (and with --apply set up) all features, trusted access and the delegated administrator for StackSets and Config.',
    )
    .option(
      '--delegated-admin <account-id>',
      'the member account that will run the deployment',
      parseAccountId,
    )
    .option('--apply', 'make the changes (default: print the plan only)')
    .option(
      '--deploy-profile <name>',
      'profile of the delegated-admin account, used in the printed deploy command',
      'DELEGATED_ADMIN_PROFILE',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  iam-unused rollout --delegated-admin 222222222222 --profile management           # plan\n' +
        '  iam-unused rollout --delegated-admin 222222222222 --apply --profile management   # do it\n\n' +
        'Exit code: 0 when everything is done or can be done, 1 when a step is blocked or failed, 2 on bad usage.\n',
    );
  addAwsOptions(command);
  addOutputOption(command, ['table', 'json']);
  command.action(async (options: RolloutOptions) => {
    const clients = awsClients(awsOptionsOf(options));
    const facts = await observe(clients);
    const plan = planRollout(facts, options.delegatedAdmin);
    const blocked = isBlocked(plan);
    const results: StepResult[] = [];
    let failed = false;
    for (const step of plan.steps) {
      if (step.state === 'done') results.push({ ...step, outcome: 'done' });
      else if (step.state === 'blocked') results.push({ ...step, outcome: 'blocked' });
      else if (!options.apply || blocked || failed || !step.action)
        results.push({ ...step, outcome: options.apply ? 'not attempted' : 'would do' });
      else {
        // In order, stopping at the first failure: later steps depend on earlier ones.
        try {
          await perform(clients, step.action);
          results.push({ ...step, outcome: 'applied' });
        } catch (error) {
          failed = true;
          results.push({ ...step, outcome: 'failed', error: describeFailure(error) });
        }
      }
    }
    const region = options.region ?? (await clients.organizations.config.region());
    const deploy =
      plan.delegatedAdmin && !blocked
        ? deployCommand({
            delegatedAdmin: plan.delegatedAdmin,
            managementAccountId: facts.managementAccountId,
            region,
            rootId: facts.rootId,
            profile: options.deployProfile ?? 'DELEGATED_ADMIN_PROFILE',
          })
        : undefined;
    if (options.output === 'json') {
      writeJson(io, {
        delegatedAdmin: plan.delegatedAdmin ?? null,
        steps: results,
        deployCommand: deploy ?? null,
      });
    } else {
      io.stdout(
        table(
          ['STEP', 'STATE', 'DETAIL'],
          results.map((r) => [r.title, r.outcome, r.error ? `${r.detail}: ${r.error}` : r.detail]),
        ),
      );
      if (blocked) io.stdout('\nBlocked: resolve the steps marked "blocked", then rerun.\n');
      else if (!options.apply && results.some((r) => r.outcome === 'would do'))
        io.stdout('\nRerun with --apply to make these changes.\n');
      if (deploy && !failed) {
        io.stdout(`\nThen deploy from the delegated-admin account (${plan.delegatedAdmin}):\n  ${deploy}\n`);
      }
    }
    outcome.exitCode = blocked || failed ? EXIT.findings : EXIT.ok;
  });
};
