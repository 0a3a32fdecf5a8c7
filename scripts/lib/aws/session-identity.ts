import { IamUnusedError } from '../../../evaluator/errors';

/**
 * Who is editing: the SourceIdentity and RoleSessionName the CLI sends on every AssumeRole into a
 * member account, so member CloudTrail (the AssumeRole event and every call of the session,
 * `userIdentity.sessionContext.sourceIdentity`) names the operator. Contract:
 * docs/exclusions-safety.md, "Who may edit a list".
 */

/** Characters STS allows in SourceIdentity and RoleSessionName; anything else becomes '-'. */
const NOT_ALLOWED = /[^\w+=,.@-]/g;
const MAX_LENGTH = 64;
const MIN_LENGTH = 2;
/** The exclusions role's trust requires session names starting with this. */
export const SESSION_NAME_PREFIX = 'iam-unused-';
/** Set when the caller's own session already carries a SourceIdentity: STS requires the same value. */
export const SOURCE_IDENTITY_ENV = 'IAM_UNUSED_SOURCE_IDENTITY';

/** The caller's ARN names no person we could put into SourceIdentity (e.g. the account root). */
export class CallerIdentityNameError extends IamUnusedError {}

/** Replaces characters STS refuses, cuts to 64, and pads a 1-character name to the 2-character minimum. */
export function sanitizeSourceIdentity(value: string): string {
  const cleaned = value.replace(NOT_ALLOWED, '-').slice(0, MAX_LENGTH);
  return cleaned.length >= MIN_LENGTH ? cleaned : cleaned.padEnd(MIN_LENGTH, '-');
}

/**
 * The operator's name from a GetCallerIdentity ARN: the session of an assumed role (IAM Identity
 * Center puts the user name or e-mail there), the user name of an IAM user, the name of a
 * federated user.
 */
export function callerNameOf(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  const kind = parts[0];
  let name: string | undefined;
  if (kind === 'assumed-role') name = parts[2];
  else if (kind === 'user' || kind === 'federated-user') name = parts.at(-1);
  if (!name)
    throw new CallerIdentityNameError(
      `Cannot tell who is calling from ${arn}: edits into member accounts must carry the operator's name. ` +
        `Use an IAM role session or IAM user, or set ${SOURCE_IDENTITY_ENV} to your name.`,
    );
  return name;
}

/** The SourceIdentity to send: the operator's override (see SOURCE_IDENTITY_ENV), else from the caller's ARN. */
export function sourceIdentityFor(callerArn: string, override?: string): string {
  return sanitizeSourceIdentity(override?.trim() ? override.trim() : callerNameOf(callerArn));
}

/** `iam-unused-<sourceIdentity>` cut to 64 characters (the trust requires the prefix). */
export function roleSessionNameFor(sourceIdentity: string): string {
  return `${SESSION_NAME_PREFIX}${sourceIdentity}`.slice(0, MAX_LENGTH);
}
