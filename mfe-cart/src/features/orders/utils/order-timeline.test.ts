import { describe, expect, it } from 'vitest';
import type { Order } from '@shop/contracts/api/orders';
import { applyOrderStatus, isFinal, shortOrderId, timeline } from './order-timeline.ts';

const eur = (amount: number) => ({ amount, currency: 'EUR' as const });
const order = (patch: Partial<Order> = {}): Order => ({
  id: '3f2b8c1e-9d4a-4b7e-8f21-5c6d7e8f9a0b',
  customerId: 'user-1',
  status: 'placed',
  lines: [{ sku: 'KIT-0001', name: 'Chef Knife', quantity: 1, unitPrice: eur(5450), lineTotal: eur(5450) }],
  total: eur(5450),
  shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Dublin', postalCode: 'D02', country: 'IE' },
  history: [{ status: 'placed', at: '2025-01-01T10:00:00.000Z' }],
  createdAt: '2025-01-01T10:00:00.000Z',
  version: 1,
  ...patch,
});

const states = (o: Order) => timeline(o).map((s) => `${s.status}:${s.state}`);

describe('order timeline', () => {
  it('shows what happened and what is still to come', () => {
    expect(states(order())).toEqual(['placed:done', 'reserved:upcoming', 'paid:upcoming', 'confirmed:upcoming']);
    const reserved = order({
      status: 'reserved',
      history: [
        { status: 'placed', at: '2025-01-01T10:00:00.000Z' },
        { status: 'reserved', at: '2025-01-01T10:00:01.000Z' },
      ],
    });
    expect(states(reserved)).toEqual(['placed:done', 'reserved:done', 'paid:upcoming', 'confirmed:upcoming']);
    expect(timeline(reserved)[1]).toMatchObject({ label: 'Reserved', at: '2025-01-01T10:00:01.000Z' });
  });

  it('ends at confirmed with nothing upcoming', () => {
    const confirmed = order({
      status: 'confirmed',
      history: (['placed', 'reserved', 'paid', 'confirmed'] as const).map((status, i) => ({ status, at: `2025-01-01T10:00:0${i}.000Z` })),
    });
    expect(states(confirmed)).toEqual(['placed:done', 'reserved:done', 'paid:done', 'confirmed:done']);
    expect(isFinal('confirmed')).toBe(true);
  });

  it('ends at a failure with its reason, and nothing upcoming', () => {
    const cancelled = order({
      status: 'cancelled',
      reason: 'Your card was declined.',
      history: [
        { status: 'placed', at: '2025-01-01T10:00:00.000Z' },
        { status: 'reserved', at: '2025-01-01T10:00:01.000Z' },
        { status: 'cancelled', at: '2025-01-01T10:00:02.000Z' },
      ],
    });
    expect(states(cancelled)).toEqual(['placed:done', 'reserved:done', 'cancelled:failed']);
    expect(timeline(cancelled).at(-1)?.reason).toBe('Your card was declined.');
    const rejected = order({ status: 'rejected', reason: 'Not enough Chef Knife in stock.' });
    expect(timeline(rejected).at(-1)).toMatchObject({ status: 'rejected', state: 'failed', reason: 'Not enough Chef Knife in stock.' });
  });

  it('shows a voided payment after the cancellation, once, without hiding why the order was cancelled', () => {
    const voided = order({
      status: 'cancelled',
      reason: 'The payment did not go through in time, so nothing was charged.',
      version: 4,
      history: [
        { status: 'placed', at: '2025-01-01T10:00:00.000Z' },
        { status: 'reserved', at: '2025-01-01T10:00:01.000Z' },
        { status: 'cancelled', at: '2025-01-01T10:00:16.000Z', reason: 'The payment did not go through in time, so nothing was charged.' },
        { status: 'cancelled', at: '2025-01-01T10:00:40.000Z', reason: 'Voided: no money was taken.', step: 'payment.voided' },
      ],
    });
    expect(timeline(voided).map((s) => [s.label, s.state])).toEqual([
      ['Placed', 'done'], ['Reserved', 'done'], ['Cancelled', 'failed'], ['Payment voided', 'done'],
    ]);
    expect(timeline(voided).at(-1)).toMatchObject({ step: 'payment.voided', reason: 'Voided: no money was taken.', at: '2025-01-01T10:00:40.000Z' });
  });

  it('includes a status the history does not have yet', () => {
    expect(states(order({ status: 'paid' }))).toEqual(['placed:done', 'paid:done', 'confirmed:upcoming']);
  });
});

describe('live order status', () => {
  const at = () => '2025-01-01T10:00:05.000Z';

  it('applies a newer status and records it in the history', () => {
    const next = applyOrderStatus(order(), { orderId: order().id, status: 'reserved', version: 2 }, at);
    expect(next).toMatchObject({ status: 'reserved', version: 2 });
    expect(next.history.at(-1)).toEqual({ status: 'reserved', at: '2025-01-01T10:00:05.000Z' });
  });

  it('carries the reason of a failure', () => {
    const next = applyOrderStatus(order(), { orderId: order().id, status: 'cancelled', reason: 'Your card was declined.', version: 4 }, at);
    expect(next.reason).toBe('Your card was declined.');
    expect(timeline(next).at(-1)).toMatchObject({ status: 'cancelled', reason: 'Your card was declined.' });
  });

  it('drops stale, repeated and foreign updates', () => {
    const shown = order({ status: 'paid', version: 3 });
    expect(applyOrderStatus(shown, { orderId: shown.id, status: 'reserved', version: 2 }, at)).toBe(shown);
    expect(applyOrderStatus(shown, { orderId: shown.id, status: 'paid', version: 3 }, at)).toBe(shown);
    expect(applyOrderStatus(shown, { orderId: 'another', status: 'confirmed', version: 9 }, at)).toBe(shown);
  });

  it('shortens ids for display', () => {
    expect(shortOrderId('3f2b8c1e-9d4a-4b7e-8f21-5c6d7e8f9a0b')).toBe('3F2B8C1E');
  });
});
