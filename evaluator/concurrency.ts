import pLimit from 'p-limit';

/**
 * Runs `work` over `items` with at most `limit` in flight (p-limit) and returns results in input
 * order. Kept as a helper because the first failure must stop new work: it clears p-limit's queue,
 * so callers never get a partial result they could mistake for a complete one.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency limit must be >= 1, got ${limit}`);
  // Without rejectOnClear: Promise.all must reject with the first failure, not with an AbortError
  // of a cleared item; the cleared items never start and their promises are dropped with it.
  const run = pLimit(limit);
  return Promise.all(
    items.map((item, index) =>
      run(async () => {
        try {
          return await work(item, index);
        } catch (error) {
          run.clearQueue();
          throw error;
        }
      }),
    ),
  );
}
