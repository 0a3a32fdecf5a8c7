import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { IAMClient, ListUserTagsCommand } from '@aws-sdk/client-iam';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { WARNING_STATE_PARAMETER_NAME } from '../../../evaluator/warnings/state';

/**
 * The three clients warnings use, held in memory: the state parameter in a variable, the events
 * PutEvents accepted in a list, every user tagged owner=<name>-team.
 */
export function warningAccount() {
  const events = mockClient(EventBridgeClient);
  const iam = mockClient(IAMClient);
  const ssm = mockClient(SSMClient);
  const world = { state: undefined as string | undefined, accepted: [] as PutEventsRequestEntry[] };
  ssm.on(GetParameterCommand, { Name: WARNING_STATE_PARAMETER_NAME }).callsFake(() => {
    if (world.state === undefined) throw new ParameterNotFound({ message: 'not found', $metadata: {} });
    return { Parameter: { Name: WARNING_STATE_PARAMETER_NAME, Value: world.state } };
  });
  ssm
    .on(PutParameterCommand, { Name: WARNING_STATE_PARAMETER_NAME })
    .callsFake((input: { Value: string }) => {
      world.state = input.Value;
      return { Version: 1 };
    });
  events.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
    world.accepted.push(...input.Entries);
    return { FailedEntryCount: 0, Entries: input.Entries.map((_, i) => ({ EventId: `e-${i}` })) };
  });
  iam.on(ListUserTagsCommand).callsFake((input: { UserName: string }) => ({
    Tags: [
      { Key: 'Owner', Value: `${input.UserName}-team` },
      { Key: 'cost-center', Value: '42' },
    ],
    IsTruncated: false,
  }));
  return { events, iam, ssm, world };
}

/** The parsed details of the accepted events. */
export function acceptedDetails(entries: readonly PutEventsRequestEntry[]): Record<string, unknown>[] {
  return entries.map((e) => JSON.parse(e.Detail ?? '{}') as Record<string, unknown>);
}
