import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { EvaluationFrequency } from '../../conformance-pack/builder';
import { FREQUENCY_SECONDS } from '../../conformance-pack/frequency';
import { HEARTBEAT_ALARM_NAME } from '../../conformance-pack/safety-names';
import { METRIC_DIMENSION, METRIC_NAMESPACE } from '../../evaluator/observability';
import { SAFETY_METRICS } from '../../evaluator/safety-metrics';

/**
 * Fires when no successful run left a heartbeat for two whole periods of the rule's frequency:
 * the function was throttled to 0, broken, silenced, or its trigger removed. Missing data is
 * breaching: silence is exactly what this alarm is for. Two periods (not one) because a run
 * drifting across a period boundary would otherwise leave one period empty without anything
 * being wrong; it matches `status`'s "older than twice the frequency". CloudWatch allows up to
 * 7 days of periods for periods of an hour or more, so 2 x 24 h is accepted.
 */
export class HeartbeatAlarm extends Construct {
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: { readonly frequency: EvaluationFrequency }) {
    super(scope, id);
    this.alarm = new Alarm(this, 'Alarm', {
      alarmName: HEARTBEAT_ALARM_NAME,
      alarmDescription:
        'No successful iam-unused-cleanup evaluation for two periods of the rule frequency: evaluation may have been ' +
        'switched off or tampered with in this account. Run `iam-unused status` and read the evaluator log group.',
      metric: new Metric({
        namespace: METRIC_NAMESPACE,
        metricName: SAFETY_METRICS.heartbeat,
        dimensionsMap: { [METRIC_DIMENSION.name]: METRIC_DIMENSION.value },
        statistic: 'Sum',
        period: Duration.seconds(FREQUENCY_SECONDS[props.frequency]),
      }),
      threshold: 1,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
    });
  }
}
