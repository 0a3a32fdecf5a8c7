import { IamUnusedError } from '../../../evaluator/errors';

/** The one place the warnings' Lambdas read their environment (set by infra/warnings/hub.ts). */
export function requiredEnvironment(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new MissingEnvironmentError(
      `Environment variable ${name} is not set; the stack sets it. Redeploy the stack rather than editing the function.`,
    );
  }
  return value;
}

export class MissingEnvironmentError extends IamUnusedError {}
