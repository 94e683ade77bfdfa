import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { dispatch, handler, InvalidEventData, type EventHandlers } from '../src/event-handlers.ts';
import { createEvent } from '../src/outbox.ts';

// The dispatcher alone: which handler runs, with what, and what it refuses. dispatchOnce is covered
// against real databases by every PostgreSQL service's consumer tests.
const Priced = Type.Object({ sku: Type.String(), amount: Type.Integer({ minimum: 0 }) });
const event = (type: string, data: unknown) => createEvent('test', { type, subject: 'KIT-0001', data });

function recorder() {
  const seen: string[] = [];
  const handlers: EventHandlers = {
    'catalog.price.changed': handler(Priced, async (d, e) => seen.push(`${e.type} ${d.sku} ${d.amount}`)),
    'catalog.other': handler(Priced, async (d) => seen.push(`other ${d.sku}`), { skip: (e) => e.subject === 'NOT-OURS' }),
  };
  return { seen, handlers };
}

describe('dispatch', () => {
  it('runs the handler of the event type with its checked data and the envelope', async () => {
    const { seen, handlers } = recorder();
    await dispatch(handlers, event('catalog.price.changed', { sku: 'KIT-0001', amount: 990 }));
    expect(seen).toEqual(['catalog.price.changed KIT-0001 990']);
  });

  it('skips types it has no handler for (inherited object keys included) and events a handler skips', async () => {
    const { seen, handlers } = recorder();
    await dispatch(handlers, event('inventory.stock.changed', {}));
    await dispatch(handlers, event('toString', {}));
    await dispatch(handlers, { ...event('catalog.other', { sku: 'X', amount: 1 }), subject: 'NOT-OURS' });
    expect(seen).toEqual([]);
  });

  it('throws InvalidEventData naming the field for data that breaks the schema, without running the handler', async () => {
    const { seen, handlers } = recorder();
    const bad = dispatch(handlers, event('catalog.price.changed', { sku: 'KIT-0001', amount: -1 }));
    await expect(bad).rejects.toThrow(InvalidEventData);
    await expect(dispatch(handlers, event('catalog.price.changed', { sku: 'KIT-0001', amount: -1 }))).rejects.toThrow(/event data is invalid: \/amount/);
    expect(seen).toEqual([]);
  });
});
