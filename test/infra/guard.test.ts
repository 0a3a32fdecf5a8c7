import { App, Stack } from 'aws-cdk-lib';
import { Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { addNagChecks, readValidationViolations } from '../../infra/nag';
import { tempOutdir } from './fixtures';

describe('Control Tower proactive controls at synth (cfn-guard, offline)', () => {
  it('reports an alarm without action and a log group without KMS, as the hooks would', () => {
    const outdir = tempOutdir();
    const app = new App({ outdir });
    addNagChecks(app);
    const stack = new Stack(app, 'Bad');
    new Alarm(stack, 'NoAction', {
      metric: new Metric({ namespace: 'x', metricName: 'y' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    new LogGroup(stack, 'Plain', { retention: RetentionDays.ONE_YEAR });
    let synthError: unknown;
    try {
      app.synth();
    } catch (error) {
      synthError = error; // the report is written before synth fails on the findings
    }
    const rules = readValidationViolations(outdir).map((v) => v.ruleName);
    expect(rules).toEqual(
      expect.arrayContaining(['cloudwatch_alarm_action_check', 'cloudwatch_log_group_encrypted_check']),
    );
    expect(synthError === undefined || synthError instanceof Error).toBe(true);
  });
});
