import { describe, expect, it } from 'vitest';
import {
  liveClientsBehind, moneyTakenUnconfirmed, newSince, ordersNotFinal, readModelDiffs, readyBodyReportsTrouble, rowFailures,
  stockNotConserved, type OrderRow,
} from '../../src/chaos/invariants.ts';
import { cleanRow } from './rows.ts';

const order = (id: string, status: string, lines: [string, number][] = []): OrderRow => ({
  id, status, lines: lines.map(([sku, quantity]) => ({ sku, quantity })),
});

describe('read model vs its sources', () => {
  const products = [{ sku: 'A', price_amount: 100 }, { sku: 'B', price_amount: 200 }];
  const stock = [{ sku: 'A', available: 5, reserved: 0 }, { sku: 'B', available: 7, reserved: 1 }];

  it('counts nothing when the listing matches catalog prices and inventory levels', () => {
    const listing = [{ sku: 'A', price_amount: 100, available: 5 }, { sku: 'B', price_amount: 200, available: 7 }];
    expect(readModelDiffs(products, listing, stock)).toBe(0);
  });

  it('counts a stale price, a stale level and a missing row once per SKU', () => {
    expect(readModelDiffs(products, [{ sku: 'A', price_amount: 99, available: 5 }, { sku: 'B', price_amount: 200, available: 6 }], stock)).toBe(2);
    expect(readModelDiffs(products, [{ sku: 'A', price_amount: 100, available: 5 }], stock)).toBe(1);
    expect(readModelDiffs(products, [{ sku: 'A', price_amount: 1, available: 1 }, { sku: 'B', price_amount: 1, available: 1 }], stock)).toBe(2);
  });
});

describe('orders and money', () => {
  const orders = [order('o1', 'confirmed'), order('o2', 'cancelled'), order('o3', 'reserved'), order('o4', 'placed'), order('o5', 'rejected')];

  it('counts orders outside confirmed, rejected and cancelled', () => {
    expect(ordersNotFinal(orders)).toBe(2);
  });

  it('counts authorized payments whose order is not confirmed, unknown orders included', () => {
    const payments = [
      { order_id: 'o1', status: 'authorized' }, // sold: fine
      { order_id: 'o2', status: 'authorized' }, // cancelled but charged: money taken
      { order_id: 'o2x', status: 'authorized' }, // no such order
      { order_id: 'o3', status: 'declined' },
      { order_id: 'o5', status: 'voided' },
    ];
    expect(moneyTakenUnconfirmed(payments, orders)).toEqual(['o2', 'o2x']);
  });

  it('counts only what a row added to damage earlier rows left', () => {
    expect(newSince(['o2'], ['o2', 'o7'])).toEqual(['o7']);
    expect(newSince([{ sku: 'A', diff: 2 }], [{ sku: 'A', diff: 2 }, { sku: 'B', diff: -1 }, { sku: 'A', diff: 3 }], (o) => `${o.sku} ${o.diff}`))
      .toEqual([{ sku: 'B', diff: -1 }, { sku: 'A', diff: 3 }]);
  });
});

describe('stock conservation', () => {
  const stocked = new Map([['A', 100], ['B', 50]]);

  it('holds when sold (confirmed orders) + available + reserved equals what was stocked', () => {
    const orders = [order('1', 'confirmed', [['A', 3], ['B', 1]]), order('2', 'confirmed', [['A', 2]]), order('3', 'cancelled', [['A', 9]])];
    expect(stockNotConserved(stocked, [{ sku: 'A', available: 94, reserved: 1 }, { sku: 'B', available: 49, reserved: 0 }], orders)).toEqual([]);
  });

  it('names each SKU that lost or gained units, with the difference', () => {
    const orders = [order('1', 'confirmed', [['A', 3]])];
    expect(stockNotConserved(stocked, [{ sku: 'A', available: 97, reserved: 2 }, { sku: 'B', available: 40, reserved: 0 }], orders))
      .toEqual([{ sku: 'A', diff: 2 }, { sku: 'B', diff: -10 }]);
  });

  it('leaves SKUs the run did not stock alone', () => {
    expect(stockNotConserved(new Map(), [{ sku: 'Z', available: 1, reserved: 0 }], [])).toEqual([]);
  });
});

describe('live clients', () => {
  it('names clients whose last price or level is not the final one; price only for clients that get prices', () => {
    const final = { price: 10_001, available: 2 };
    expect(liveClientsBehind([
      { client: 'web', price: 10_001, available: 2 },
      { client: 'page', price: undefined, available: 2 },
      { client: 'app', available: 2, tracksPrice: false },
      { client: 'stale-app', available: 40, tracksPrice: false },
    ], final)).toEqual(['page', 'stale-app']);
  });
});

describe('/ready bodies', () => {
  it('sees no trouble in an all-ok body, whatever data it carries', () => {
    expect(readyBodyReportsTrouble({ status: 'ok', service: 'catalog', checks: { database: 'ok', kafka: 'ok' } })).toBe(false);
    expect(readyBodyReportsTrouble({ status: 'ready' })).toBe(false); // the front-end servers' body
    expect(readyBodyReportsTrouble({
      status: 'ok', checks: { database: 'ok' },
      loops: {
        'outbox-relay': { state: 'ok', role: 'standby', backlog: 0, listening: true, lastError: 'timeout', lastErrorAt: '2026-01-01' },
        'live-intake': { state: 'ok', intake: 'running' },
        kafka: { state: 'ok' },
      },
    })).toBe(false);
    expect(readyBodyReportsTrouble({
      status: 'ok', checks: { relay: { state: 'ok', backlogAgeMs: 120, lastError: 'timeout', since: '2026-01-01' } },
    })).toBe(false);
  });

  it('sees a failed check, a stuck loop, a false ok flag, and a missing body', () => {
    expect(readyBodyReportsTrouble({ status: 'unavailable', checks: { database: 'ok' } })).toBe(true);
    expect(readyBodyReportsTrouble({ status: 'ok', checks: { kafka: 'connection refused' } })).toBe(true);
    expect(readyBodyReportsTrouble({ status: 'ok', checks: { relay: { state: 'stuck', backlogAgeMs: 90_000 } } })).toBe(true);
    expect(readyBodyReportsTrouble({ status: 'ok', checks: { consumers: [{ group: 'g', ok: false }] } })).toBe(true);
    expect(readyBodyReportsTrouble(null)).toBe(true);
    // A broker outage keeps the status at ok (still serving) but shows in the loops.
    expect(readyBodyReportsTrouble({ status: 'ok', checks: { database: 'ok' }, loops: { kafka: { state: 'degraded', error: 'broker did not answer' } } })).toBe(true);
  });
});

describe('row failures', () => {
  it('passes a clean row', () => {
    expect(rowFailures(cleanRow())).toEqual([]);
  });

  it('names every number that must be zero and is not, and a window with no operations', () => {
    expect(rowFailures(cleanRow({
      recoverMs: null, outboxPending: { catalog: 137, inventory: 2 }, readModelDiffs: 1, ordersNotFinal: 3, moneyTaken: 1, stockOff: 2,
      liveBehind: ['page'], readyBodyTruthful: false, readyStatusServing: false, healthTruthful: false, fallbackShown: false,
      crashes: ['orders exited on its own (code 1)'], ops: { web: { ok: 0, failed: 12 } },
    }))).toEqual([
      'recovered=no', 'outbox=139', 'read-model=1', 'not-final=3', 'money-taken=1', 'stock-off=2', 'live-behind=1',
      'ready-body=lied', 'ready-status=out', 'health=lied', 'fallback=none', 'crashed=1', 'ops=0',
    ]);
  });
});
