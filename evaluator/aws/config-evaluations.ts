import {
  type ConfigServiceClient,
  type Evaluation,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { ANNOTATION_MAX_LENGTH, type Verdict } from '../decision';
import { errorMessage, errorName } from '../error-text';
import { ConfigReadError, PutEvaluationsError } from '../errors';
import type { CallCounter } from '../facts/types';

/** PutEvaluations accepts at most 100 evaluations per call. */
export const MAX_EVALUATIONS_PER_CALL = 100;
/** GetComplianceDetailsByConfigRule's largest page. */
export const COMPLIANCE_DETAILS_PAGE_SIZE = 100;
export const IAM_USER_RESOURCE_TYPE = 'AWS::IAM::User';
export const USER_GONE_ANNOTATION = 'The IAM user no longer exists in this account.';

export interface RetryOptions {
  /** Attempts for one batch, the first included, while Config reports FailedEvaluations. @default 4 */
  readonly maxAttempts?: number;
  /** First backoff; doubled per attempt, with jitter. @default 250 */
  readonly baseDelayMs?: number;
  /** @default setTimeout-based */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface EvaluationWriterOptions {
  readonly config: ConfigServiceClient;
  readonly resultToken: string;
  /** The event's notificationCreationTime. */
  readonly orderingTimestamp: Date;
  /** Config checks the evaluations but records nothing. */
  readonly testMode: boolean;
  readonly configCalls: CallCounter;
  readonly retry?: RetryOptions;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function evaluationFor(verdict: Verdict, orderingTimestamp: Date): Evaluation {
  return {
    ComplianceResourceType: IAM_USER_RESOURCE_TYPE,
    ComplianceResourceId: verdict.userId,
    ComplianceType: verdict.compliance,
    Annotation: checkedAnnotation(verdict.annotation, verdict.userId),
    OrderingTimestamp: orderingTimestamp,
  };
}

export function notApplicableEvaluation(resourceId: string, orderingTimestamp: Date): Evaluation {
  return {
    ComplianceResourceType: IAM_USER_RESOURCE_TYPE,
    ComplianceResourceId: resourceId,
    ComplianceType: 'NOT_APPLICABLE',
    Annotation: USER_GONE_ANNOTATION,
    OrderingTimestamp: orderingTimestamp,
  };
}

function checkedAnnotation(annotation: string, resourceId: string): string {
  if (annotation.length < 1 || annotation.length > ANNOTATION_MAX_LENGTH) {
    throw new PutEvaluationsError(
      `Annotation for ${resourceId} has ${annotation.length} characters; Config accepts 1-${ANNOTATION_MAX_LENGTH}. ` +
        'This is a bug in the decision code.',
    );
  }
  return annotation;
}

/**
 * Collects evaluations and puts each full batch of 100 at once, so whatever stops a run later
 * leaves only complete, correct evaluations behind.
 */
export class EvaluationWriter {
  private pending: Evaluation[] = [];
  private putCount = 0;

  constructor(private readonly options: EvaluationWriterOptions) {}

  /** Evaluations Config has accepted so far. */
  get put(): number {
    return this.putCount;
  }

  async add(evaluation: Evaluation): Promise<void> {
    this.pending.push(evaluation);
    if (this.pending.length >= MAX_EVALUATIONS_PER_CALL) await this.flush();
  }

  async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.slice(0, MAX_EVALUATIONS_PER_CALL);
      await putBatch(batch, this.options);
      this.pending = this.pending.slice(batch.length);
      this.putCount += batch.length;
    }
  }
}

/** Puts one batch; re-sends only what Config lists in FailedEvaluations, with backoff, then gives up loudly. */
export async function putBatch(
  batch: readonly Evaluation[],
  options: EvaluationWriterOptions,
): Promise<void> {
  if (batch.length > MAX_EVALUATIONS_PER_CALL) {
    throw new RangeError(
      `a batch holds at most ${MAX_EVALUATIONS_PER_CALL} evaluations, got ${batch.length}`,
    );
  }
  const maxAttempts = options.retry?.maxAttempts ?? 4;
  const baseDelayMs = options.retry?.baseDelayMs ?? 250;
  const sleep = options.retry?.sleep ?? defaultSleep;
  let toSend: Evaluation[] = [...batch];
  for (let attempt = 1; ; attempt++) {
    options.configCalls.count('PutEvaluations');
    let failed: Evaluation[];
    try {
      const out = await options.config.send(
        new PutEvaluationsCommand({
          ResultToken: options.resultToken,
          Evaluations: toSend,
          ...(options.testMode ? { TestMode: true } : {}),
        }),
      );
      failed = out.FailedEvaluations ?? [];
    } catch (cause) {
      throw new PutEvaluationsError(
        `Config PutEvaluations failed for ${toSend.length} evaluation(s) after SDK retries ` +
          `(${errorName(cause)}: ${errorMessage(cause)}). ` +
          'Check the role allows config:PutEvaluations; an InvalidResultTokenException means the run outlived its token.',
        { cause },
      );
    }
    if (failed.length === 0) return;
    if (attempt >= maxAttempts) {
      const ids = failed.map((e) => e.ComplianceResourceId).slice(0, 10);
      throw new PutEvaluationsError(
        `Config rejected ${failed.length} evaluation(s) in ${attempt} attempts (FailedEvaluations), ` +
          `resources ${ids.join(', ')}${failed.length > ids.length ? ', …' : ''}. ` +
          'The run failed so that the next one re-evaluates them; check Config service health and the rule.',
      );
    }
    toSend = failed;
    const delay = baseDelayMs * 2 ** (attempt - 1);
    await sleep(delay / 2 + Math.random() * (delay / 2));
  }
}

/**
 * The resource ids the rule currently reports COMPLIANT or NON_COMPLIANT: after a run, those it did
 * not evaluate belong to users that no longer exist.
 */
export async function listEvaluatedResourceIds(
  config: ConfigServiceClient,
  configRuleName: string,
  configCalls: CallCounter,
): Promise<Set<string>> {
  const ids = new Set<string>();
  let nextToken: string | undefined;
  do {
    configCalls.count('GetComplianceDetailsByConfigRule');
    let page: Awaited<ReturnType<typeof sendPage>>;
    try {
      page = await sendPage(config, configRuleName, nextToken);
    } catch (cause) {
      throw new ConfigReadError(
        `Config GetComplianceDetailsByConfigRule for rule ${configRuleName} failed after SDK retries ` +
          `(${errorName(cause)}: ${errorMessage(cause)}); ` +
          'users deleted since earlier runs were not closed as NOT_APPLICABLE. Check the role allows ' +
          'config:GetComplianceDetailsByConfigRule.',
        { cause },
      );
    }
    for (const result of page.EvaluationResults ?? []) {
      const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
      if (qualifier?.ResourceType === IAM_USER_RESOURCE_TYPE && qualifier.ResourceId)
        ids.add(qualifier.ResourceId);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return ids;
}

function sendPage(config: ConfigServiceClient, configRuleName: string, nextToken: string | undefined) {
  return config.send(
    new GetComplianceDetailsByConfigRuleCommand({
      ConfigRuleName: configRuleName,
      ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
      Limit: COMPLIANCE_DETAILS_PAGE_SIZE,
      ...(nextToken ? { NextToken: nextToken } : {}),
    }),
  );
}
