import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { awsClients } from '../../lib/aws/clients';
import type { RegisterCommand } from '../../lib/terminal/command';
import { EXIT } from '../../lib/terminal/exit-codes';
import { addAwsOptions, addOutputOption, awsOptionsOf } from '../../lib/terminal/options';
import { writeJson } from '../../lib/terminal/output';
import { pauseState, planPause } from './model';
import { type PauseOutcome, pauseJson, renderPause } from './render';
import { readRolloutView, writePause } from './state';

/**
 * `iam-unused pause` / `resume` (delegated admin, home region): the emergency brake. Writes the
 * pause parameter the reconciler watches (infra/rollout/contract.ts); it re-puts the pack with
 * automatic remediation off, or back on. No redeploy. Plan first, --apply to write.
 */

interface PauseOptions {
  profile?: string;
  region?: string;
  output: 'table' | 'json';
  reason?: string;
  apply?: boolean;
}

const MAX_REASON = 500;

function parseReason(value: string): string {
  return value.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON);
}

function registerBrake(paused: boolean): RegisterCommand {
  const name = paused ? 'pause' : 'resume';
  return (program, io, outcome) => {
    const command = program
      .command(name)
      .description(
        paused
          ? 'Stop all revocation across the organization within minutes, without a redeploy (delegated admin, home region).'
          : 'Undo `iam-unused pause`: automatic revocation as deployed comes back within minutes.',
      )
      .option(
        '--reason <text>',
        `why (kept with the parameter, shown by status and report; ${MAX_REASON} characters at most)`,
        parseReason,
      )
      .option('--apply', `${name} (default: print the plan only)`)
      .addHelpText(
        'after',
        `\nExamples:\n  iam-unused ${name} --reason "incident 123" --profile delegated-admin --region eu-west-1\n` +
          `  iam-unused ${name} --reason "incident 123" --apply --profile delegated-admin --region eu-west-1\n\n` +
          'Exit code: 0 when written or nothing to do, 2 bad usage, 3 when the state cannot be read or written (AWS failure).\n',
      );
    addAwsOptions(command);
    addOutputOption(command, ['table', 'json']);
    command.action(async (options: PauseOptions) => {
      const clients = await awsClients(awsOptionsOf(options));
      const [view, identity] = await Promise.all([
        readRolloutView(clients.ssm),
        clients.sts.send(new GetCallerIdentityCommand({})),
      ]);
      const plan = planPause(view, {
        paused,
        by: identity.Arn ?? identity.Account ?? 'unknown caller',
        ...(options.reason === undefined ? {} : { reason: options.reason }),
        at: io.now().toISOString(),
      });
      const apply = options.apply === true;
      const version = apply && plan.write ? await writePause(clients.ssm, plan.write) : undefined;
      const result: PauseOutcome = {
        paused,
        plan,
        apply,
        ...(version === undefined ? {} : { version }),
        before: pauseState(view),
        reconcilerSeen: view.applied !== undefined,
      };
      if (options.output === 'json') writeJson(io, pauseJson(result));
      else io.stdout(renderPause(result));
      outcome.exitCode = EXIT.ok;
    });
  };
}

export const registerPause: RegisterCommand = registerBrake(true);
export const registerResume: RegisterCommand = registerBrake(false);
