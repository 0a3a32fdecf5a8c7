/**
 * The one place that turns a thrown value into text. The SDK puts the API error code in `name`.
 * A thrown non-Error (a string, a plain object) has no name: it gets NON_ERROR_NAME, everywhere.
 */

export const NON_ERROR_NAME = 'NonError';

/** The error's name (an SDK error's API code), or NON_ERROR_NAME for a thrown non-Error. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : NON_ERROR_NAME;
}

/** The error's message, or the thrown value itself as a string. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "Name: message" for an Error, the value as a string otherwise. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
