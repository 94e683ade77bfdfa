import { describe, expect, it, vi } from 'vitest';
import type { Category } from '@shop/contracts/api/catalog';
import { createCategoryCache } from '../src/clients/category-cache.ts';

const kitchen = (count: number): Category[] => [{ slug: 'kitchen', name: 'Kitchen', count }];

/** A catalog whose answers the test hands out one at a time. */
function catalog() {
  const pending: { resolve(c: Category[]): void; reject(e: Error): void }[] = [];
  return {
    calls: () => pending.length,
    listCategories: () => new Promise<Category[]>((resolve, reject) => pending.push({ resolve, reject })),
    answer: (i: number, categories: Category[]) => pending[i]!.resolve(categories),
    fail: (i: number) => pending[i]!.reject(new Error('catalog is unreachable')),
  };
}

describe('category cache', () => {
  it('asks catalog once for pages that arrive together, and not again while fresh', async () => {
    const c = catalog();
    const cache = createCategoryCache({ catalog: c, maxAgeMs: 60_000 });
    const first = Promise.all([cache.get(), cache.get()]);
    c.answer(0, kitchen(3));
    expect(await first).toEqual([kitchen(3), kitchen(3)]);
    expect(await cache.get()).toEqual(kitchen(3));
    expect(c.calls()).toBe(1);
  });

  it('serves the kept list at once after an invalidation, and the new one once catalog answered', async () => {
    const c = catalog();
    const cache = createCategoryCache({ catalog: c, maxAgeMs: 60_000 });
    const first = cache.get();
    c.answer(0, kitchen(3));
    await first;

    cache.invalidate();
    expect(await cache.get()).toEqual(kitchen(3));
    expect(await cache.get()).toEqual(kitchen(3)); // one refresh in flight, not two
    expect(c.calls()).toBe(2);
    c.answer(1, kitchen(4));
    await vi.waitFor(async () => expect(await cache.get()).toEqual(kitchen(4)));
    expect(c.calls()).toBe(2);
  });

  it('refreshes again when a product changed while a refresh was in flight', async () => {
    const c = catalog();
    const cache = createCategoryCache({ catalog: c, maxAgeMs: 60_000 });
    const first = cache.get();
    c.answer(0, kitchen(3));
    await first;
    cache.invalidate();
    await cache.get(); // starts refresh #2
    cache.invalidate(); // its answer may predate this change
    c.answer(1, kitchen(4));
    await vi.waitFor(async () => {
      await cache.get();
      expect(c.calls()).toBe(3);
    });
  });

  it('refreshes a list older than maxAgeMs, and keeps serving it while catalog fails', async () => {
    let now = 0;
    const c = catalog();
    const errors: unknown[] = [];
    const cache = createCategoryCache({ catalog: c, maxAgeMs: 1_000, now: () => now, onRefreshError: (e) => errors.push(e) });
    const first = cache.get();
    c.answer(0, kitchen(3));
    await first;

    now = 1_001;
    expect(await cache.get()).toEqual(kitchen(3));
    c.fail(1);
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(await cache.get()).toEqual(kitchen(3)); // and it tries again
    expect(c.calls()).toBe(3);
  });

  it('throws when catalog fails and there is nothing kept, and asks again on the next page', async () => {
    const c = catalog();
    const cache = createCategoryCache({ catalog: c, maxAgeMs: 60_000 });
    const first = cache.get();
    c.fail(0);
    await expect(first).rejects.toThrow('catalog is unreachable');
    const second = cache.get();
    c.answer(1, kitchen(1));
    expect(await second).toEqual(kitchen(1));
  });
});
