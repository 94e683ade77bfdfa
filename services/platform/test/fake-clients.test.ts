import { describe, expect, it } from 'vitest';
import { DownstreamError } from '../src/clients/downstream.ts';
import { answers, FakeInventory, misbehave, slow, stock } from '../src/testing/fake-clients.ts';

describe('the fakes\' failure model', () => {
  it('throws what the real client throws: 503 for down, the service\'s code and message for a 4xx, the status for a 5xx', async () => {
    await expect(misbehave('cart', 'down')).rejects.toEqual(new DownstreamError('cart', 503, 'cart is unreachable: ECONNREFUSED'));
    const refusal = misbehave('cart', answers(409, { code: 'CART_INSUFFICIENT_STOCK', message: 'Only 2 left' }));
    await expect(refusal).rejects.toMatchObject({ name: 'DownstreamError', service: 'cart', status: 409, code: 'CART_INSUFFICIENT_STOCK', message: 'Only 2 left' });
    await expect(misbehave('orders', answers(500))).rejects.toMatchObject({ status: 500, code: undefined });
  });

  it('hangs until the caller gives up, and answers late when slow', async () => {
    const budget = new AbortController();
    const hung = misbehave('catalog', 'hang', budget.signal);
    budget.abort();
    await expect(hung).rejects.toThrow('aborted');
    await expect(misbehave('catalog', slow(5))).resolves.toBeUndefined();
    const inventory = new FakeInventory([stock('A-1', 3)]);
    inventory.behaviour = slow(5);
    expect(await inventory.getStockBatch(['A-1', 'B-2'])).toEqual([stock('A-1', 3)]);
  });
});
