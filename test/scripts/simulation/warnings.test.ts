import { describe, expect, it } from 'vitest';
import { measureWarningDay } from '../../../scripts/simulation/warnings';

describe('warnings benchmark (steady mix)', () => {
  it('hourly runs send exactly the events of one daily run, within ceil(warned / 10) calls per run', async () => {
    const daily = await measureWarningDay(2000, 1);
    const hourly = await measureWarningDay(2000, 24);
    expect(daily.eventsPerDay).toBeGreaterThan(0);
    expect(hourly.eventsPerDay).toBe(daily.eventsPerDay);
    expect(daily.putEventsCallsPerDay).toBe(Math.ceil(daily.eventsPerDay / 10));
    expect(hourly.putEventsCallsPerDay).toBeLessThanOrEqual(daily.putEventsCallsPerDay + 24);
    expect([daily.boundHolds, hourly.boundHolds]).toEqual([true, true]);
    // A day's warnings are a small share of the credentials in the window (each warned twice in 7 days).
    expect(daily.eventsPerDay).toBeLessThan(daily.credentialsInWindow);
  });
});
