/**
 * Named errors. Each message says what was wrong, the offending value, and how to fix it;
 * the underlying AWS or parse error travels as `cause`.
 */
export class IamUnusedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The exclusion list holds entries that are neither an IAM user name nor a UserId. */
export class InvalidExclusionListError extends IamUnusedError {
  constructor(
    readonly invalidEntries: readonly string[],
    source: string,
  ) {
    super(
      `Invalid exclusion list entr${invalidEntries.length === 1 ? 'y' : 'ies'} in ${source}: ` +
        `${invalidEntries.map((e) => JSON.stringify(e)).join(', ')}. ` +
        'Each entry must be an IAM user name (1-64 characters of A-Z a-z 0-9 _ + = , . @ -) or a UserId (AIDA...); ' +
        'separate entries with commas or newlines.',
    );
  }
}

/** A rule parameter (from the Config rule's InputParameters) is missing its expected form. */
export class InvalidRuleParameterError extends IamUnusedError {}

/** The Config event is not the periodic notification this rule expects. */
export class InvalidEventError extends IamUnusedError {}

/** The exclusion list could not be read: evaluating without it could revoke an excluded user. */
export class ExclusionListUnavailableError extends IamUnusedError {}

/** An IAM read failed after retries: no verdict may rest on facts that were not read. */
export class IamReadError extends IamUnusedError {}

/** AWS Config refused evaluations even after retries. */
export class PutEvaluationsError extends IamUnusedError {}

/** Reading the rule's earlier results failed. */
export class ConfigReadError extends IamUnusedError {}

/** The Lambda ran out of time before every user was evaluated. */
export class DeadlineExceededError extends IamUnusedError {}

/**
 * An IAM credential report (CSV) is malformed. The CLI treats it as a bad input file; the Lambda's
 * report-first source falls back to live per-user reads instead of trusting it.
 */
export class CredentialReportParseError extends IamUnusedError {
  constructor(
    message: string,
    /** 1-based physical line of the CSV where the bad record starts; undefined for whole-file problems. */
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(
      line === undefined ? `Credential report: ${message}` : `Credential report line ${line}: ${message}`,
      options,
    );
  }
}

/** The credential report could not be generated or fetched (the caller falls back to live reads). */
export class CredentialReportUnavailableError extends IamUnusedError {}
