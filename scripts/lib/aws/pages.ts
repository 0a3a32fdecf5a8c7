type AnyCommand = { readonly input: object };

/**
 * The paginator config for `client`. Each request gets its own copy of the input: the SDK's
 * paginator reuses one input object and writes each next token into it, so every recorded
 * request (aws-sdk-client-mock, logs) would otherwise show the last token.
 */
export function pagesOf<C>(client: C): { client: C; withCommand: <T extends AnyCommand>(command: T) => T } {
  return {
    client,
    withCommand: (command) =>
      new (command.constructor as new (input: object) => typeof command)({ ...command.input }),
  };
}

/**
 * Every item of an SDK paginator (`paginateX`), in order. A failing page rejects the whole
 * listing: callers never see a partial list they could take for a whole one.
 */
export async function allItems<P, T>(
  pages: AsyncIterable<P>,
  itemsOf: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(itemsOf(page) ?? []));
  return all;
}
