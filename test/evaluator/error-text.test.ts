import { describe, expect, it } from 'vitest';
import { errorMessage, errorName, errorText, NON_ERROR_NAME } from '../../evaluator/error-text';

describe('error text', () => {
  it('names an Error by its name (the SDK puts the API code there) and a non-Error by one fallback', () => {
    const denied = Object.assign(new Error('no'), { name: 'AccessDenied' });
    expect(errorName(denied)).toBe('AccessDenied');
    expect(errorName('boom')).toBe(NON_ERROR_NAME);
    expect(errorName(undefined)).toBe('NonError');
  });

  it('gives the message of an Error and the value itself otherwise', () => {
    expect(errorMessage(new TypeError('bad input'))).toBe('bad input');
    expect(errorMessage(42)).toBe('42');
    expect(errorText(new TypeError('bad input'))).toBe('TypeError: bad input');
    expect(errorText('boom')).toBe('boom');
  });
});
