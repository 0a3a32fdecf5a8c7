import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/**
 * Answers a CloudFormation custom resource request (PUT to its pre-signed ResponseURL). Hand-written
 * because it is one fetch: the CDK Provider framework would add a second Lambda, log group and role.
 */
export type SendResponse = (url: string, body: string) => Promise<void>;

export const fetchResponse: SendResponse = async (url, body) => {
  // The URL is signed without a content type, so none may be sent.
  const res = await fetch(url, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!res.ok) throw new Error(`CloudFormation response PUT answered HTTP ${res.status}`);
};

export function responseBody(
  event: CloudFormationCustomResourceEvent,
  status: 'SUCCESS' | 'FAILED',
  physicalResourceId: string,
  reason: string,
  data: Record<string, string>,
): string {
  return JSON.stringify({
    Status: status,
    // CloudFormation shows the reason in the stack events; it accepts at most 4 KB of response.
    Reason: reason.slice(0, 3000),
    // Never changes: a new id would make CloudFormation delete the "old" pack after an update.
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
}
