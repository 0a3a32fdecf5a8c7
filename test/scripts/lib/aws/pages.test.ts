import { describe, expect, it } from 'vitest';
import { allItems, pagesOf } from '../../../../scripts/lib/aws/pages';

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
