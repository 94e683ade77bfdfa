import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '@shop/contracts/envelope';
import { InventoryEventTypes, StockChanged } from '@shop/contracts/events/inventory';
import type { LiveEventSource } from '../src/event-source.ts';
import { createLiveIntake, InvalidLiveEvent, liveEventHandler, onEvent } from '../src/live-intake.ts';
import { createLogger } from '../src/logger.ts';
import { createEvent } from '../src/outbox.ts';

const log = createLogger('live-intake-test', 'silent');

/** Fails its first `failures` starts, like a broker that is still coming up. */
function flakySource(failures: number) {
  const calls = { starts: 0, stops: 0 };
  const source: LiveEventSource = {
    async start() {
      calls.starts++;
      if (calls.starts <= failures) throw new Error('broker unreachable');
      return { stop: async () => void calls.stops++ };
    },
  };
  return { source, calls };
}

describe('live intake', () => {
  it('retries its start until the source answers, reports each state, and stops the consumer once', async () => {
    const { source, calls } = flakySource(2);
    const intake = createLiveIntake({ source, handle: async () => undefined, log, initialDelayMs: 10, maxDelayMs: 20 });
    expect(intake.state()).toBe('starting');
    await expect(intake.health()).resolves.toEqual({ state: 'degraded', intake: 'starting' });
    await expect(intake.check()).rejects.toThrow('not running yet');
    intake.start();
    await expect.poll(() => intake.state(), { timeout: 5_000 }).toBe('running');
    await expect(intake.check()).resolves.toBeUndefined();
    await expect(intake.health()).resolves.toEqual({ state: 'ok', intake: 'running' });
    expect(calls.starts).toBe(3);
    await intake.stop();
    expect(intake.state()).toBe('stopped');
    await expect(intake.check()).rejects.toThrow('stopped');
    expect(calls.stops).toBe(1);
  });

  it('reports degraded, naming the source\'s failure, while its broker does not answer', async () => {
    const { source } = flakySource(0);
    const unreachable = { ...source, health: async () => ({ state: 'degraded' as const, error: 'broker did not answer: timeout' }) };
    const intake = createLiveIntake({ source: unreachable, handle: async () => undefined, log, initialDelayMs: 10, maxDelayMs: 20 });
    intake.start();
    await expect.poll(() => intake.state(), { timeout: 5_000 }).toBe('running');
    await expect(intake.health()).resolves.toEqual({ state: 'degraded', intake: 'running', source: 'broker did not answer: timeout' });
    await intake.stop();
  });

  it('is off without a source and never blocks readiness', async () => {
    const intake = createLiveIntake({ source: null, handle: async () => undefined, log });
    intake.start();
    expect(intake.state()).toBe('off');
    await expect(intake.check()).resolves.toBeUndefined();
  });
});

describe('liveEventHandler', () => {
  const stockChanged = (available: number) =>
    createEvent('inventory', { type: InventoryEventTypes.stockChanged, subject: 'KIT-1', data: { sku: 'KIT-1', available, reserved: 0, version: 3 } });

  it('hands a valid event to its route, ignores other types, and rejects a broken one naming the field', async () => {
    const seen: number[] = [];
    const handle = liveEventHandler([onEvent(InventoryEventTypes.stockChanged, StockChanged, ({ data }) => void seen.push(data.available))]);
    await handle(stockChanged(4));
    await handle({ ...stockChanged(1), type: 'catalog.product.created' } as CloudEvent);
    expect(seen).toEqual([4]);
    const broken = handle(stockChanged(-1));
    await expect(broken).rejects.toBeInstanceOf(InvalidLiveEvent);
    await expect(broken).rejects.toThrow('/data/available');
    expect(seen).toEqual([4]);
  });

  it('routes by data schema version, and refuses a version no route takes naming it', async () => {
    const seen: string[] = [];
    const handle = liveEventHandler([
      onEvent(InventoryEventTypes.stockChanged, StockChanged, ({ data }) => void seen.push(`v1 ${data.available}`)),
      onEvent(InventoryEventTypes.stockChanged, StockChanged, ({ data }) => void seen.push(`v2 ${data.available}`), { version: 2 }),
    ]);
    expect(handle.accepts).toEqual([{ type: InventoryEventTypes.stockChanged, version: 1 }, { type: InventoryEventTypes.stockChanged, version: 2 }]);
    await handle(stockChanged(1));
    await handle({ ...stockChanged(2), dataschema: 'urn:shop:schema:inventory.stock.changed:2' });
    await expect(handle({ ...stockChanged(3), dataschema: 'urn:shop:schema:inventory.stock.changed:3' }))
      .rejects.toThrow(/inventory\.stock\.changed .*data schema version 3 is not accepted here \(accepts version 1, 2\)/);
    expect(seen).toEqual(['v1 1', 'v2 2']);
  });
});
