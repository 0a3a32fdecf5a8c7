import { describe, expect, it } from 'vitest';
import { allItems, collectPages, pagesOf } from '../../../../scripts/lib/aws/pages';

describe('collectPages', () => {
  it('follows tokens to the last page and keeps every item in order', async () => {
    // Prepare
    const pages: Record<string, { items: number[]; next: string | undefined }> = {
      first: { items: [1, 2], next: 't2' },
      t2: { items: [], next: 't3' },
      t3: { items: [3], next: undefined },
    };
    const asked: (string | undefined)[] = [];
    // Act
    const all = await collectPages(async (token) => {
      asked.push(token);
      const page = pages[token ?? 'first'];
      if (!page) throw new Error(`unexpected token ${token}`);
      return page;
    });
    // Assess
    expect(all).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, 't2', 't3']);
  });

  it('treats a page without items as empty', async () => {
    // Act
    const all = await collectPages<number>(async () => ({ items: undefined, next: undefined }));
    // Assess
    expect(all).toEqual([]);
  });

  it('rejects the whole listing when a later page fails', async () => {
    // Prepare
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    // Act
    const run = collectPages(async (token) => {
      if (token) throw denied;
      return { items: [1], next: 'more' };
    });
    // Assess
    await expect(run).rejects.toBe(denied);
  });
});

describe('allItems', () => {
  it('keeps every item of every page in order, a page without items counting as empty', async () => {
    // Given: three pages, the middle one without items
    async function* pages() {
      yield { Items: [1, 2] };
      yield { Items: undefined };
      yield { Items: [3] };
    }
    // When
    const all = await allItems(pages(), (p: { Items: number[] | undefined }) => p.Items);
    // Then
    expect(all).toEqual([1, 2, 3]);
  });

  it('rejects the whole listing when a later page fails', async () => {
    // Given
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    async function* pages() {
      yield { Items: [1] };
      throw denied;
    }
    // When / Then
    await expect(allItems(pages(), (p: { Items: number[] }) => p.Items)).rejects.toBe(denied);
  });
});

describe('pagesOf', () => {
  it('gives each request its own copy of the input, so a later token does not rewrite an earlier request', () => {
    // Given: a command whose input the paginator will go on to mutate
    class FakeCommand {
      constructor(readonly input: { NextToken?: string }) {}
    }
    const shared: { NextToken?: string } = {};
    const first = new FakeCommand(shared);
    // When
    const sent = pagesOf('client').withCommand(first);
    shared.NextToken = 't2';
    // Then
    expect(sent).toBeInstanceOf(FakeCommand);
    expect(sent.input).toEqual({});
  });
});
