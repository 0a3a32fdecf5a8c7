import { ActivateOrganizationsAccessCommand } from '@aws-sdk/client-cloudformation';
import {
  EnableAWSServiceAccessCommand,
  RegisterDelegatedAdministratorCommand,
} from '@aws-sdk/client-organizations';
import type { AwsClients } from '../../lib/aws/clients';
import { describeFailure } from '../../lib/aws/errors';
import { isBlocked, type RolloutAction, type RolloutPlan, type RolloutStep } from './plan';

/** --apply: makes the plan's changes in order; without it, says what each step would do. */

export interface StepResult extends RolloutStep {
  readonly outcome: 'done' | 'would do' | 'blocked' | 'applied' | 'failed' | 'not attempted';
  readonly error?: string;
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

export async function runSteps(
  clients: AwsClients,
  plan: RolloutPlan,
  apply: boolean,
): Promise<{ results: StepResult[]; failed: boolean }> {
  const blocked = isBlocked(plan);
  const results: StepResult[] = [];
  let failed = false;
  for (const step of plan.steps) {
    if (step.state === 'done') results.push({ ...step, outcome: 'done' });
    else if (step.state === 'blocked') results.push({ ...step, outcome: 'blocked' });
    else if (!apply || blocked || failed || !step.action)
      results.push({ ...step, outcome: apply ? 'not attempted' : 'would do' });
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
  return { results, failed };
}
