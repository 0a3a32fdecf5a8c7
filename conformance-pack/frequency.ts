import type { EvaluationFrequency } from './builder';

/** Seconds between periodic evaluations for each MaximumExecutionFrequency. */
export const FREQUENCY_SECONDS: Readonly<Record<EvaluationFrequency, number>> = {
  One_Hour: 3_600,
  Three_Hours: 3 * 3_600,
  Six_Hours: 6 * 3_600,
  Twelve_Hours: 12 * 3_600,
  TwentyFour_Hours: 24 * 3_600,
};
