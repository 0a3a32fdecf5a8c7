import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  firstJsonErrorOffset,
  jsonErrorLocation,
} from '../../../../scripts/commands/preview/json-error-location';

describe('firstJsonErrorOffset', () => {
  it('finds the offending character', () => {
    expect(firstJsonErrorOffset('{"a": }')).toBe(6);
    expect(firstJsonErrorOffset('[1, 2,]')).toBe(6);
    expect(firstJsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(firstJsonErrorOffset('{"a": tru}')).toBe(9);
    expect(firstJsonErrorOffset('{"a": "x\\q"}')).toBe(9);
    expect(firstJsonErrorOffset('{"a": 01}')).toBe(7);
    expect(jsonErrorLocation('{\n  "a": 1,\n  "b": ]\n}')).toBe('line 3, column 8');
    expect(firstJsonErrorOffset('nul')).toBe(3);
    expect(firstJsonErrorOffset(' ')).toBe(1);
    expect(firstJsonErrorOffset(' {"a": [1, -2.5e3, "\\u00e9", true, false, null]} ')).toBeUndefined();
    expect(jsonErrorLocation('{\n  "a": [1, 2')).toBe('line 2, column 13');
  });

  it('says valid exactly when JSON.parse accepts the text', () => {
    const jsonish = fc.oneof(
      fc.json(),
      fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))),
      fc.string({
        unit: fc.constantFrom(
          '{',
          '}',
          '[',
          ']',
          '"',
          ',',
          ':',
          '1',
          '-',
          '.',
          'e',
          'n',
          ' ',
          '\\',
          'u',
          'a',
        ),
      }),
    );
    fc.assert(
      fc.property(jsonish, (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(firstJsonErrorOffset(text) === undefined).toBe(valid);
      }),
      { seed: 4242, numRuns: 2000 },
    );
  });
});
