import {
  ConfigServiceClient,
  type Evaluation,
  type EvaluationResult,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';

/**
 * What AWS Config holds for one rule, in memory: the latest evaluation per resource, as
 * PutEvaluations recorded it (TestMode records nothing), served back by
 * GetComplianceDetailsByConfigRule in pages of at most 100 with NextToken. The evaluator's
 * write-only-what-changed logic runs against it day after day.
 */

export interface RecordedEvaluation {
  readonly resourceId: string;
  readonly compliance: string;
  readonly annotation: string;
  readonly recordedAt: Date;
}

export interface PutEvaluationRecord {
  readonly resourceId: string;
  readonly compliance: string;
  readonly annotation: string;
}

export class ConfigModel {
  /** Latest evaluation per resource id (insertion order = first recorded). */
  readonly held = new Map<string, RecordedEvaluation>();
  /** Every evaluation accepted, across runs (for billing counts). */
  readonly put: PutEvaluationRecord[] = [];
  /** Answer every GetComplianceDetailsByConfigRule with this error instead, while set. */
  failReads: Error | undefined;

  constructor(private readonly clock: () => Date) {}

  record(evaluations: readonly Evaluation[], testMode: boolean): void {
    for (const e of evaluations) {
      const record = {
        resourceId: String(e.ComplianceResourceId),
        compliance: String(e.ComplianceType),
        annotation: String(e.Annotation),
      };
      this.put.push(record);
      if (!testMode) this.held.set(record.resourceId, { ...record, recordedAt: this.clock() });
    }
  }

  private listing: RecordedEvaluation[] = [];

  /** One page of results of the given compliance types, from `start` (a listing starts at 0). */
  page(types: readonly string[], start: number, limit: number): EvaluationResult[] {
    if (start === 0) {
      this.listing = [...this.held.values()].filter(
        (e) => types.length === 0 || types.includes(e.compliance),
      );
    }
    return this.listing.slice(start, start + limit).map((e) => ({
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: { ResourceType: 'AWS::IAM::User', ResourceId: e.resourceId },
      },
      ComplianceType: e.compliance as EvaluationResult['ComplianceType'],
      Annotation: e.annotation,
      ResultRecordedTime: e.recordedAt,
    }));
  }

  /** Compliance per resource, NOT_APPLICABLE ones included. */
  compliance(): Map<string, string> {
    return new Map([...this.held.values()].map((e) => [e.resourceId, e.compliance]));
  }
}

/** A fresh ConfigServiceClient answering from `model`. */
export function serveConfigModel(model: ConfigModel): {
  client: ConfigServiceClient;
  stub: AwsClientStub<ConfigServiceClient>;
} {
  const client = new ConfigServiceClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const stub = mockClient(client);
  stub
    .on(PutEvaluationsCommand)
    .callsFake((input: { Evaluations?: Evaluation[]; ResultToken?: string; TestMode?: boolean }) => {
      if (!input.ResultToken) throw new Error('PutEvaluations without a ResultToken');
      if ((input.Evaluations?.length ?? 0) > 100) throw new Error('more than 100 evaluations');
      model.record(input.Evaluations ?? [], input.TestMode === true);
      return { FailedEvaluations: [] };
    });
  stub
    .on(GetComplianceDetailsByConfigRuleCommand)
    .callsFake((input: { ComplianceTypes?: string[]; Limit?: number; NextToken?: string }) => {
      if (model.failReads) throw model.failReads;
      const limit = Math.min(input.Limit ?? 100, 100);
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const types = input.ComplianceTypes ?? [];
      const results = model.page(types, start, limit + 1);
      return {
        EvaluationResults: results.slice(0, limit),
        ...(results.length > limit ? { NextToken: String(start + limit) } : {}),
      };
    });
  return { client, stub };
}
