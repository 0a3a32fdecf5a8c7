import {
  ConfigServiceClient,
  DescribeConfigRulesCommand,
  LimitExceededException,
  StartConfigRulesEvaluationCommand,
} from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_RULE_NAME, memberRuleNamePrefix } from '../../conformance-pack/names';
import { ConfigReadError } from '../../evaluator/errors';
import {
  createReevaluateHandler,
  EvaluationBusyError,
  StartEvaluationError,
} from '../../infra/lambda/reevaluate';

const configMock = mockClient(ConfigServiceClient);
const client = new ConfigServiceClient({ region: 'eu-west-1' });
const suffixed = `${memberRuleNamePrefix()}abc123`;
const rule = (name: string) => ({ ConfigRuleName: name, Source: { Owner: 'CUSTOM_LAMBDA' as const } });

function accessDenied(): Error {
  const error = new Error('User is not authorized');
  error.name = 'AccessDeniedException';
  return error;
}

describe('re-evaluate on exclusion list change', () => {
  let lines: string[];
  beforeEach(() => {
    configMock.reset();
    lines = [];
  });
  const handler = () => createReevaluateHandler(client, (line) => lines.push(line))();

  it('starts only our rules, found across pages', async () => {
    configMock
      .on(DescribeConfigRulesCommand, {})
      .resolves({
        ConfigRules: [rule('other-rule'), rule(suffixed)],
        NextToken: 't1',
      })
      .on(DescribeConfigRulesCommand, { NextToken: 't1' })
      .resolves({
        ConfigRules: [rule(CONFIG_RULE_NAME), rule(`x-${CONFIG_RULE_NAME}`)],
      });
    configMock.on(StartConfigRulesEvaluationCommand).resolves({});

    const result = await handler();

    expect(result).toEqual({ started: [suffixed, CONFIG_RULE_NAME] });
    expect(configMock.commandCalls(StartConfigRulesEvaluationCommand).map((c) => c.args[0].input)).toEqual([
      { ConfigRuleNames: [suffixed, CONFIG_RULE_NAME] },
    ]);
    expect(lines).toEqual([
      JSON.stringify({ message: 'Re-evaluation started.', rules: [suffixed, CONFIG_RULE_NAME] }),
    ]);
  });

  it('starts nothing and says so when the pack has not created the rule yet', async () => {
    configMock.on(DescribeConfigRulesCommand).resolves({ ConfigRules: [rule('other-rule')] });

    expect(await handler()).toEqual({ started: [] });
    expect(configMock.commandCalls(StartConfigRulesEvaluationCommand)).toHaveLength(0);
    expect(lines[0]).toContain('nothing to re-evaluate');
  });

  it('fails on LimitExceeded so that Lambda retries: a running evaluation may have read the old list', async () => {
    configMock.on(DescribeConfigRulesCommand).resolves({ ConfigRules: [rule(suffixed)] });
    configMock
      .on(StartConfigRulesEvaluationCommand)
      .rejects(new LimitExceededException({ message: 'running', $metadata: {} }));

    const error = await handler().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvaluationBusyError);
    expect(error).toBeInstanceOf(StartEvaluationError);
    expect((error as Error).message).toContain(`refused ${suffixed} (LimitExceededException`);
    expect((error as Error).message).toContain(
      `aws configservice start-config-rules-evaluation --config-rule-names ${suffixed}`,
    );
    expect(lines).toEqual([]);
  });

  it('starts the other batches before failing for a refused one', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `${memberRuleNamePrefix()}s${i}`);
    configMock.on(DescribeConfigRulesCommand).resolves({ ConfigRules: names.map((n) => rule(n)) });
    configMock
      .on(StartConfigRulesEvaluationCommand)
      .rejectsOnce(new LimitExceededException({ message: 'running', $metadata: {} }))
      .resolves({});

    const error = await handler().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvaluationBusyError);
    expect((error as Error).message).toContain(`refused ${names.slice(0, 25).join(', ')} (`);
    expect(configMock.commandCalls(StartConfigRulesEvaluationCommand)).toHaveLength(2);
    expect(lines).toEqual([JSON.stringify({ message: 'Re-evaluation started.', rules: names.slice(25) })]);
  });

  it('fails with the cause when starting is denied', async () => {
    configMock.on(DescribeConfigRulesCommand).resolves({ ConfigRules: [rule(suffixed)] });
    configMock.on(StartConfigRulesEvaluationCommand).rejects(accessDenied());

    const error = await handler().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartEvaluationError);
    expect((error as Error).message).toContain(suffixed);
    expect((error as Error).message).toContain('AccessDeniedException');
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('fails with the cause when the rules cannot be listed, starting nothing', async () => {
    configMock.on(DescribeConfigRulesCommand).rejects(accessDenied());

    const error = await handler().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigReadError);
    expect((error as Error).message).toContain('config:DescribeConfigRules');
    expect(configMock.commandCalls(StartConfigRulesEvaluationCommand)).toHaveLength(0);
  });

  it('starts more than 25 rules in batches of 25', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `${memberRuleNamePrefix()}s${i}`);
    configMock.on(DescribeConfigRulesCommand).resolves({ ConfigRules: names.map((n) => rule(n)) });
    configMock.on(StartConfigRulesEvaluationCommand).resolves({});

    expect((await handler()).started).toEqual(names);
    expect(
      configMock
        .commandCalls(StartConfigRulesEvaluationCommand)
        .map((c) => c.args[0].input.ConfigRuleNames?.length),
    ).toEqual([25, 5]);
  });
});
