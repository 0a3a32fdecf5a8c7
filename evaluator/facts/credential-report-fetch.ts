import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { type CredentialReport, parseCredentialReport } from '../credential-report';
import { errorName, errorText } from '../error-text';
import { CredentialReportParseError, CredentialReportUnavailableError } from '../errors';
import type { CallCounter, Deadline } from './types';

/**
 * Gets a credential report: GenerateCredentialReport until COMPLETE (IAM reuses a report younger
 * than 4 hours, so this is usually one call), then GetCredentialReport. Waiting backs off
 * exponentially within a budget; anything that keeps the report from us becomes
 * CredentialReportUnavailableError, on which the caller falls back to per-user reads.
 * DeadlineExceededError from the deadline guard is not caught: no strategy may start then.
 */

export interface CredentialReportFetchOptions {
  /** Longest total wait for the report. @default 120_000 */
  readonly maxWaitMs?: number;
  /** Share of the Lambda's remaining time the wait may use, so the fallback keeps time. @default 0.25 */
  readonly remainingTimeShare?: number;
  /** First pause between polls; doubles up to maxDelayMs. @default 1000 */
  readonly initialDelayMs?: number;
  /** @default 8000 */
  readonly maxDelayMs?: number;
  /** Failed calls (after the SDK's own retries) tolerated before giving up. @default 3 */
  readonly maxErrors?: number;
  /** Times a missing or expired report is generated again. @default 2 */
  readonly maxRegenerations?: number;
  /** Injectable for tests. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface FetchedCredentialReport {
  readonly report: CredentialReport;
  readonly generatedTime: Date;
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);
const NOT_READY = new Set(['CredentialReportNotReadyException', 'ReportInProgress']);
const GONE = new Set([
  'CredentialReportNotPresentException',
  'ReportNotPresent',
  'CredentialReportExpiredException',
  'ReportExpired',
]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function fetchCredentialReport(
  iam: IAMClient,
  calls: CallCounter,
  deadline: Deadline,
  options: CredentialReportFetchOptions = {},
): Promise<FetchedCredentialReport> {
  const sleep = options.sleep ?? defaultSleep;
  const maxDelay = options.maxDelayMs ?? 8000;
  const maxErrors = options.maxErrors ?? 3;
  const maxRegenerations = options.maxRegenerations ?? 2;
  const budget = Math.min(
    options.maxWaitMs ?? 120_000,
    Math.max(0, deadline.remainingMs()) * (options.remainingTimeShare ?? 0.25),
  );
  let delay = options.initialDelayMs ?? 1000;
  let waited = 0;
  let errors = 0;
  let regenerations = 0;
  let needGenerate = true;

  const unavailable = reportUnavailable;
  const pause = async (why: string) => {
    if (waited + delay > budget) {
      throw unavailable(
        `${why} after waiting ${Math.round(waited / 1000)} s (budget ${Math.round(budget / 1000)} s)`,
      );
    }
    await sleep(delay);
    waited += delay;
    delay = Math.min(delay * 2, maxDelay);
  };
  const failed = async (operation: string, error: unknown) => {
    if (DENIED.has(errorName(error))) {
      throw unavailable(
        `${operation} was denied (${errorText(error)}); grant iam:GenerateCredentialReport and ` +
          'iam:GetCredentialReport to the evaluator role',
        error,
      );
    }
    errors += 1;
    if (errors > maxErrors)
      throw unavailable(`${operation} failed ${errors} times, last with ${errorText(error)}`, error);
    await pause(`${operation} kept failing (${errorText(error)})`);
  };

  for (;;) {
    if (needGenerate) {
      deadline.check('generating the IAM credential report');
      calls.count('GenerateCredentialReport');
      let state: string | undefined;
      try {
        state = (await iam.send(new GenerateCredentialReportCommand({}))).State;
      } catch (error) {
        await failed('GenerateCredentialReport', error);
        continue;
      }
      if (state !== 'COMPLETE') {
        await pause(`the report was still ${state ?? 'not started'}`);
        continue;
      }
      needGenerate = false;
    }
    deadline.check('fetching the IAM credential report');
    calls.count('GetCredentialReport');
    let out: { Content?: Uint8Array | string; ReportFormat?: string; GeneratedTime?: Date };
    try {
      out = await iam.send(new GetCredentialReportCommand({}));
    } catch (error) {
      if (NOT_READY.has(errorName(error))) {
        await pause('GetCredentialReport said the report is still being generated');
        continue;
      }
      if (GONE.has(errorName(error))) {
        regenerations += 1;
        if (regenerations > maxRegenerations) {
          throw unavailable(
            `GetCredentialReport kept answering ${errorName(error)} after ${maxRegenerations} regenerations`,
            error,
          );
        }
        needGenerate = true;
        continue;
      }
      await failed('GetCredentialReport', error);
      continue;
    }
    return decode(out);
  }
}

function reportUnavailable(why: string, cause?: unknown): CredentialReportUnavailableError {
  return new CredentialReportUnavailableError(
    `The IAM credential report could not be had: ${why}. The run falls back to per-user live reads ` +
      '(same verdicts, about 4 IAM calls per user).',
    cause === undefined ? undefined : { cause },
  );
}

function decode(out: {
  Content?: Uint8Array | string;
  ReportFormat?: string;
  GeneratedTime?: Date;
}): FetchedCredentialReport {
  const unavailable = reportUnavailable;
  if (out.ReportFormat !== undefined && out.ReportFormat !== 'text/csv') {
    throw unavailable(
      `GetCredentialReport returned format ${JSON.stringify(out.ReportFormat)}, expected text/csv`,
    );
  }
  if (!out.GeneratedTime) throw unavailable('GetCredentialReport returned no GeneratedTime');
  if (out.Content === undefined) throw unavailable('GetCredentialReport returned no Content');
  // The SDK decodes the base64 blob to bytes; a raw string (e.g. from a recording) is still base64.
  const text =
    typeof out.Content === 'string'
      ? Buffer.from(out.Content, 'base64').toString('utf8')
      : new TextDecoder('utf-8').decode(out.Content);
  try {
    return { report: parseCredentialReport(text), generatedTime: out.GeneratedTime };
  } catch (error) {
    if (error instanceof CredentialReportParseError)
      throw unavailable(`the report is malformed (${error.message})`, error);
    throw error;
  }
}
