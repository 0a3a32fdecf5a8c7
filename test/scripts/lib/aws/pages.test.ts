import { describe, expect, it } from 'vitest';
import { collectPages } from '../../../../scripts/lib/aws/pages';

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
