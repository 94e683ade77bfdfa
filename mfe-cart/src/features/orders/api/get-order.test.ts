import { describe, expect, it } from 'vitest';
import { orderRefetchInterval, PENDING_ORDER_POLL_MS } from './get-order.ts';

describe('orderRefetchInterval', () => {
  it('polls an order whose saga is still running, or not loaded yet, as a fallback for a missed live update', () => {
    for (const status of ['placed', 'reserved', 'paid'] as const) expect(orderRefetchInterval({ status })).toBe(PENDING_ORDER_POLL_MS);
    expect(orderRefetchInterval(undefined)).toBe(PENDING_ORDER_POLL_MS);
  });

  it('leaves a final order alone', () => {
    for (const status of ['confirmed', 'rejected', 'cancelled'] as const) expect(orderRefetchInterval({ status })).toBe(false);
  });
});
