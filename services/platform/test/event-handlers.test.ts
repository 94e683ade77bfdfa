import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { eventContract } from '@shop/contracts/envelope';
import { acceptedVersions, dispatch, handler, InvalidEventData, type EventHandlers } from '../src/event-handlers.ts';
import { UnsupportedEventVersion } from '../src/event-versions.ts';
import { createEvent } from '../src/outbox.ts';

// The dispatcher alone: which handler runs, with what, and what it refuses. dispatchOnce is covered
// against real databases by every PostgreSQL service's consumer tests.
const Priced = Type.Object({ sku: Type.String(), amount: Type.Integer({ minimum: 0 }) });
const PricedV1 = eventContract('catalog.price.changed', 1, Priced);
/** Version 2 renamed `amount` to `minorUnits`: a change version 1's consumers cannot take. */
const PricedV2 = eventContract('catalog.price.changed', 2, Type.Object({ sku: Type.String(), minorUnits: Type.Integer({ minimum: 0 }) }));
const OtherV1 = eventContract('catalog.other', 1, Priced);
const event = (type: string, data: unknown, dataschema?: string) => createEvent('test', { type, subject: 'KIT-0001', data, dataschema });

function recorder() {
  const seen: string[] = [];
  const handlers: EventHandlers = {
    'catalog.price.changed': handler(PricedV1, async (d, e) => seen.push(`${e.type} ${d.sku} ${d.amount}`)),
    'catalog.other': handler(OtherV1, async (d) => seen.push(`other ${d.sku}`), { skip: (e) => e.subject === 'NOT-OURS' }),
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

describe('dispatch by data schema version (CloudEvents dataschema)', () => {
  function transition() {
    const seen: string[] = [];
    const handlers: EventHandlers = {
      'catalog.price.changed': [
        handler(PricedV2, async (d) => seen.push(`v2 ${d.sku} ${d.minorUnits}`)),
        handler(PricedV1, async (d) => seen.push(`v1 ${d.sku} ${d.amount}`)),
      ],
    };
    return { seen, handlers };
  }

  it('picks the handler of the version the event names, and reads an event without dataschema as version 1', async () => {
    const { seen, handlers } = transition();
    await dispatch(handlers, event('catalog.price.changed', { sku: 'A', minorUnits: 2 }, PricedV2.dataschema));
    await dispatch(handlers, event('catalog.price.changed', { sku: 'B', amount: 1 }, PricedV1.dataschema));
    const { dataschema: _, ...unversioned } = event('catalog.price.changed', { sku: 'C', amount: 3 }, PricedV1.dataschema);
    await dispatch(handlers, unversioned);
    expect(seen).toEqual(['v2 A 2', 'v1 B 1', 'v1 C 3']);
  });

  it('refuses a version no handler accepts with an UnsupportedEventVersion naming both, without running anything', async () => {
    const { seen, handlers } = recorder();
    const v2 = event('catalog.price.changed', { sku: 'A', minorUnits: 2 }, PricedV2.dataschema);
    await expect(dispatch(handlers, v2)).rejects.toThrow(UnsupportedEventVersion);
    await expect(dispatch(handlers, v2)).rejects.toThrow(/catalog\.price\.changed .*data schema version 2 is not accepted here \(accepts version 1\)/);
    expect(seen).toEqual([]);
  });

  it('refuses a dataschema that names another type or no version', async () => {
    const { handlers } = recorder();
    const named = (dataschema: string) => dispatch(handlers, event('catalog.price.changed', { sku: 'A', amount: 1 }, dataschema));
    await expect(named('urn:shop:schema:catalog.other:1')).rejects.toThrow(/dataschema urn:shop:schema:catalog\.other:1 names no version of this type/);
    await expect(named('urn:shop:schema:catalog.price.changed:latest')).rejects.toThrow(UnsupportedEventVersion);
  });

  it('lists what a handler map accepts, and refuses a handler filed under another type', () => {
    expect(acceptedVersions(transition().handlers)).toEqual([
      { type: 'catalog.price.changed', version: 2 },
      { type: 'catalog.price.changed', version: 1 },
    ]);
    expect(() => acceptedVersions({ 'catalog.price.changed': handler(OtherV1, async () => undefined) }))
      .toThrow(/handler of catalog\.other version 1 is registered under catalog\.price\.changed/);
  });
});

describe('createEvent', () => {
  it('names the current data schema version of a type in the contracts registry, and none for a type not in it', () => {
    expect(event('inventory.stock.changed', {}).dataschema).toBe('urn:shop:schema:inventory.stock.changed:1');
    expect(event('widget.created', {})).not.toHaveProperty('dataschema');
  });
});
