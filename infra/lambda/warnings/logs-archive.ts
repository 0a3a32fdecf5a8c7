import { errorText } from '../../../evaluator/error-text';
import { IamUnusedError } from '../../../evaluator/errors';
import type { ArchivedEvent } from './digest';

/**
 * The digest's data: the central bus writes every warning and remediation outcome into one log
 * group (a native EventBridge target: no code on the write path, cost bounded by the retention),
 * and the digest reads the last days back with one CloudWatch Logs Insights query.
 *
 * The two Logs Insights calls the digest makes, as a port: `@aws-sdk/client-cloudwatch-logs` is
 * not among this repository's dependencies yet (asked for), so the production binding loads it
 * from the Lambda runtime, which ships the whole SDK v3; tests drive this code with a model.
 */
export interface LogsInsightsApi {
  startQuery(input: {
    logGroupName: string;
    startTime: number;
    endTime: number;
    queryString: string;
    limit: number;
  }): Promise<{ queryId?: string }>;
  getQueryResults(input: {
    queryId: string;
  }): Promise<{ status?: string; results?: { field?: string; value?: string }[][] }>;
}

/** Logs Insights returns at most 10,000 rows per query (docs/aws-behaviour.md, "Logs Insights query results"). */
export const QUERY_LIMIT = 10_000;
const QUERY = 'fields @message | sort @timestamp asc';

export interface ReadOptions {
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default 60 polls, one second apart */
  readonly maxPolls?: number;
}

/** Every archived event from `from` to `to`; throws ArchiveReadError rather than digest part of them. */
export async function readArchive(
  api: LogsInsightsApi,
  logGroupName: string,
  from: Date,
  to: Date,
  options: ReadOptions = {},
): Promise<ArchivedEvent[]> {
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  let queryId: string | undefined;
  try {
    queryId = (
      await api.startQuery({
        logGroupName,
        startTime: Math.floor(from.getTime() / 1000),
        endTime: Math.ceil(to.getTime() / 1000),
        queryString: QUERY,
        limit: QUERY_LIMIT,
      })
    ).queryId;
  } catch (cause) {
    throw new ArchiveReadError(`StartQuery on ${logGroupName} failed: ${errorText(cause)}.`, { cause });
  }
  if (queryId === undefined) throw new ArchiveReadError(`StartQuery on ${logGroupName} returned no queryId.`);
  for (let poll = 0; poll < (options.maxPolls ?? 60); poll++) {
    let out: Awaited<ReturnType<LogsInsightsApi['getQueryResults']>>;
    try {
      out = await api.getQueryResults({ queryId });
    } catch (cause) {
      throw new ArchiveReadError(`GetQueryResults ${queryId} failed: ${errorText(cause)}.`, { cause });
    }
    if (out.status === 'Complete') return parseRows(out.results ?? [], logGroupName);
    if (out.status !== 'Running' && out.status !== 'Scheduled') {
      throw new ArchiveReadError(`The Logs Insights query ${queryId} ended as ${out.status ?? 'unknown'}.`);
    }
    await sleep(1000);
  }
  throw new ArchiveReadError(
    `The Logs Insights query ${queryId} did not complete in time; the digest retries.`,
  );
}

function parseRows(
  rows: readonly { field?: string; value?: string }[][],
  logGroupName: string,
): ArchivedEvent[] {
  if (rows.length >= QUERY_LIMIT) {
    throw new ArchiveReadError(
      `${logGroupName} holds ${QUERY_LIMIT} or more events for the digest period: the digest would be incomplete. ` +
        'Shorten warnDaysBeforeRevoke or split the organization into several deployments.',
    );
  }
  return rows.map((row, i) => {
    const message = row.find((f) => f.field === '@message')?.value;
    try {
      return JSON.parse(message ?? '') as ArchivedEvent;
    } catch (cause) {
      throw new ArchiveReadError(
        `Archived event ${i} in ${logGroupName} is not JSON: ${String(message).slice(0, 100)}.`,
        {
          cause,
        },
      );
    }
  });
}

/** Loads the Logs client the Lambda runtime ships (see LogsInsightsApi). */
export async function runtimeLogsInsightsApi(): Promise<LogsInsightsApi> {
  const moduleName = '@aws-sdk/client-cloudwatch-logs';
  // biome-ignore lint/suspicious/noExplicitAny: untyped until the package is a dependency
  const sdk: any = await import(moduleName);
  const client = new sdk.CloudWatchLogsClient({ retryMode: 'adaptive', maxAttempts: 5 });
  return {
    startQuery: (input) => client.send(new sdk.StartQueryCommand(input)),
    getQueryResults: (input) => client.send(new sdk.GetQueryResultsCommand(input)),
  };
}

/** The archive could not be read completely: no digest is better than a wrong one. */
export class ArchiveReadError extends IamUnusedError {}
