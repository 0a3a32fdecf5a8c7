import {
  CredentialReportExpiredException,
  CredentialReportNotPresentException,
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  IAMServiceException,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CredentialReportParseError,
  CredentialReportUnavailableError,
  DeadlineExceededError,
} from '../../../evaluator/errors';
import {
  type CredentialReportFetchOptions,
  fetchCredentialReport,
} from '../../../evaluator/facts/credential-report-fetch';
import { CallCounter, type Deadline } from '../../../evaluator/facts/types';
import { IamAccount, renderCredentialReport } from '../../../scripts/simulation/model';

const iam = new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const iamMock = mockClient(iam);
const GENERATED = new Date('2025-06-01T09:00:00Z');
const CSV = renderCredentialReport(
  new IamAccount([
    {
      name: 'alice',
      id: 'AIDA00000000000000001',
      createDate: new Date('2024-01-01T00:00:00Z'),
      passwordLastUsed: null,
      loginProfile: null,
      passwordLastChanged: null,
      keys: [],
    },
  ]),
);
const REPORT = {
  Content: new TextEncoder().encode(CSV),
  ReportFormat: 'text/csv' as const,
  GeneratedTime: GENERATED,
};

const meta = { $metadata: {} };
const serviceError = (name: string) =>
  new IAMServiceException({ name, message: `${name} from the mock`, $fault: 'client', $metadata: {} });

function deadline(remainingMs = 900_000, check: (what: string) => void = () => undefined): Deadline {
  return { remainingMs: () => remainingMs, check };
}

function setup(options: CredentialReportFetchOptions = {}) {
  const sleeps: number[] = [];
  const calls = new CallCounter();
  const run = (d: Deadline = deadline()) =>
    fetchCredentialReport(iam, calls, d, {
      ...options,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  return { sleeps, calls, run };
}

async function unavailable(promise: Promise<unknown>): Promise<CredentialReportUnavailableError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CredentialReportUnavailableError);
  return error as CredentialReportUnavailableError;
}

beforeEach(() => {
  iamMock.reset();
});

describe('fetchCredentialReport', () => {
  it('waits with doubling backoff while the report goes STARTED → INPROGRESS → COMPLETE, then decodes it', async () => {
    iamMock
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves(REPORT);
    const { sleeps, calls, run } = setup();

    const fetched = await run();

    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(calls.snapshot()).toEqual({ GenerateCredentialReport: 4, GetCredentialReport: 1 });
    expect(fetched.generatedTime).toEqual(GENERATED);
    expect(fetched.report.users.map((u) => u.user)).toEqual(['alice']);
  });

  it('reads a base64 string Content as well as bytes', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock
      .on(GetCredentialReportCommand)
      .resolves({ ...REPORT, Content: Buffer.from(CSV).toString('base64') as unknown as Uint8Array });
    const fetched = await setup().run();
    expect(fetched.report.users).toHaveLength(1);
  });

  it('waits when GetCredentialReport says ReportInProgress, then gets it', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock
      .on(GetCredentialReportCommand)
      .rejectsOnce(new CredentialReportNotReadyException({ message: 'not ready', ...meta }))
      .resolves(REPORT);
    const { sleeps, calls, run } = setup();
    await run();
    expect(sleeps).toEqual([1000]);
    expect(calls.snapshot()).toEqual({ GenerateCredentialReport: 1, GetCredentialReport: 2 });
  });

  it('generates again when the report is not present or expired', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock
      .on(GetCredentialReportCommand)
      .rejectsOnce(new CredentialReportNotPresentException({ message: 'none', ...meta }))
      .rejectsOnce(new CredentialReportExpiredException({ message: 'expired', ...meta }))
      .resolves(REPORT);
    const { calls, run } = setup();
    await run();
    expect(calls.snapshot()).toEqual({ GenerateCredentialReport: 3, GetCredentialReport: 3 });
  });

  it('gives up when the report keeps expiring', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock
      .on(GetCredentialReportCommand)
      .rejects(new CredentialReportExpiredException({ message: 'expired', ...meta }));
    const error = await unavailable(setup({ maxRegenerations: 2 }).run());
    expect(error.message).toMatch(/kept answering CredentialReportExpiredException after 2 regenerations/);
    expect(error.cause).toBeInstanceOf(CredentialReportExpiredException);
  });

  it('gives up at once on AccessDenied, naming the permissions to grant', async () => {
    iamMock.on(GenerateCredentialReportCommand).rejects(serviceError('AccessDenied'));
    const { calls, sleeps, run } = setup();
    const error = await unavailable(run());
    expect(error.message).toMatch(/GenerateCredentialReport was denied .*grant iam:GenerateCredentialReport/);
    expect(calls.total).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('gives up at once when GetCredentialReport is denied', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).rejects(serviceError('AccessDeniedException'));
    await unavailable(setup().run());
  });

  it('retries other failures a few times, then gives up', async () => {
    iamMock
      .on(GenerateCredentialReportCommand)
      .rejects(new ServiceFailureException({ message: 'boom', ...meta }));
    const { calls, run } = setup({ maxErrors: 3 });
    const error = await unavailable(run());
    expect(calls.snapshot()).toEqual({ GenerateCredentialReport: 4 });
    expect(error.message).toMatch(/failed 4 times, last with ServiceFailureException: boom/);
  });

  it('survives one failure', async () => {
    iamMock
      .on(GenerateCredentialReportCommand)
      .rejectsOnce(serviceError('LimitExceeded'))
      .resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves(REPORT);
    const { calls, run } = setup();
    await run();
    expect(calls.snapshot()).toEqual({ GenerateCredentialReport: 2, GetCredentialReport: 1 });
  });

  it('stops waiting when the budget is spent', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    const { sleeps, run } = setup({ maxWaitMs: 10_000 });
    const error = await unavailable(run());
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(error.message).toMatch(/still INPROGRESS after waiting 7 s \(budget 10 s\)/);
  });

  it('keeps three quarters of the Lambda time for the fallback', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'STARTED' });
    const { sleeps, run } = setup();
    await unavailable(run(deadline(16_000)));
    // Budget 4 s: waits 1 s + 2 s, the next 4 s would exceed it.
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('lets the deadline guard end the run instead of falling back', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'STARTED' });
    let checks = 0;
    const guard = deadline(900_000, (what) => {
      checks += 1;
      if (checks === 2) throw new DeadlineExceededError(`Stopped before ${what}`);
    });
    await expect(setup().run(guard)).rejects.toThrow(DeadlineExceededError);
  });

  it.each([
    ['an unexpected format', { ReportFormat: 'text/xml' }, /format "text\/xml", expected text\/csv/],
    ['no GeneratedTime', { GeneratedTime: undefined }, /no GeneratedTime/],
    ['no Content', { Content: undefined }, /no Content/],
  ])('refuses a report with %s', async (_what, override, message) => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves({ ...REPORT, ...override } as typeof REPORT);
    expect((await unavailable(setup().run())).message).toMatch(message);
  });

  it('refuses a malformed report, keeping the parse error as cause', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock
      .on(GetCredentialReportCommand)
      .resolves({ ...REPORT, Content: new TextEncoder().encode('user,arn\nx,y\n') });
    const error = await unavailable(setup().run());
    expect(error.cause).toBeInstanceOf(CredentialReportParseError);
    expect(error.message).toMatch(
      /the report is malformed \(Credential report line 1: the header lacks columns/,
    );
  });
});
