import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIsoInstant } from '../../../../scripts/commands/preview/iso-instant';

describe('parseIsoInstant', () => {
  it.each([
    ['2025-08-27T03:00:00Z', '2025-08-27T03:00:00.000Z'],
    ['2025-07-10T11:21:00+09:00', '2025-07-10T02:21:00.000Z'],
    ['2025-07-10T11:21:00-05:30', '2025-07-10T16:51:00.000Z'],
    ['2025-08-28T11:27:52.846000+09:00', '2025-08-28T02:27:52.846Z'],
    ['2025-08-28T11:27:52.5Z', '2025-08-28T11:27:52.500Z'],
    ['2025-08-28T11:27Z', '2025-08-28T11:27:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseIsoInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2025-08-27T03:00:00', // no zone: depends on the machine's clock settings
    '2025-08-27',
    '2025-08-27 03:00:00Z',
    '2025-02-29T00:00:00Z',
    '2025-02-30T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-00-10T00:00:00Z',
    '2025-08-27T24:00:00Z',
    '2025-08-27T03:60:00Z',
    '2025-08-27T03:00:60Z',
    '2025-08-27T03:00:00+0900',
    '2025-08-27T03:00:00+24:00',
    'Wed, 27 Aug 2025 03:00:00 GMT',
    '1756263600000',
    '',
  ])('rejects %j', (text) => {
    expect(parseIsoInstant(text)).toBeUndefined();
  });

  it('agrees with Date.parse on every valid UTC instant', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('2199-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          expect(parseIsoInstant(d.toISOString())?.getTime()).toBe(d.getTime());
        },
      ),
      { seed: 20250827, numRuns: 300 },
    );
  });
});
