/** One page of an AWS listing: its items and the token of the next page, if any. */
export interface Page<T> {
  readonly items: readonly T[] | undefined;
  readonly next: string | undefined;
}

/**
 * Follows a NextToken/Marker listing to its last page and returns every item. A failing page
 * rejects the whole listing: callers never see a partial list they could take for a whole one.
 */
export async function collectPages<T>(
  fetchPage: (token: string | undefined) => Promise<Page<T>>,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    all.push(...(page.items ?? []));
    token = page.next;
  } while (token);
  return all;
}
