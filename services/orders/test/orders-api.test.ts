import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '@shop/contracts/api/orders';
import { createTestDatabase } from '@shop/platform/testing/database';
import { parseMetrics, sampleValue } from '@shop/platform/testing/prometheus';
import { buildApp, migrationsDir } from '../src/app.ts';
import { readConfig } from '../src/config.ts';

const prefix = `t${randomUUID().slice(0, 8)}.`;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: Awaited<ReturnType<typeof buildApp>>;

/** The catalog's current prices (minor units) as orders asks for them; a price of 0 is a product not for sale. */
const catalogPrices = new Map<string, [name: string, amount: number]>([
  ['KIT-0001', ['Chef Knife', 4999]],
  ['KIT-0002', ['Cutting Board', 1250]],
  ['KIT-0009', ['Other', 1]],
  ['KIT-0050', ['Free Sample', 0]],
  ['LUX-0001', ['Gold Toaster', 100_000_000]],
]);
let catalogDown = false;
const catalog = {
  async getPrices(skus: readonly string[]) {
    if (catalogDown) throw new Error('connect ECONNREFUSED 127.0.0.1:7101');
    return skus.flatMap((sku) => {
      const known = catalogPrices.get(sku);
      return known ? [{ sku, name: known[0], price: { amount: known[1], currency: 'EUR' as const }, version: 1 }] : [];
    });
  },
};

beforeAll(async () => {
  db = await createTestDatabase('orders_api', migrationsDir);
  app = await buildApp(readConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', TOPIC_PREFIX: prefix }), { messaging: false, catalog });
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});
beforeEach(async () => {
  await app.db.query('TRUNCATE orders, order_history, outbox');
});

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const body = (over: Record<string, unknown> = {}) => ({
  customerId: 'user-1',
  lines: [
    { sku: 'KIT-0001', name: 'Chef Knife', quantity: 2, unitPrice: eur(4999) },
    { sku: 'KIT-0002', name: 'Cutting Board', quantity: 1, unitPrice: eur(1250) },
  ],
  shippingAddress: { name: 'Ada Lovelace', line1: '12 St James Sq', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
  paymentMethodId: randomUUID(),
  idempotencyKey: `checkout-${randomUUID()}`,
  ...over,
});
const post = (payload: unknown) =>
  app.inject({
    method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
const outbox = async () =>
  (await app.db.query<{ topic: string; message_key: string; event: { type: string; data: Record<string, unknown> } }>(
    'SELECT topic, message_key, event FROM outbox ORDER BY id',
  )).rows;
const orderCount = async () => (await app.db.query('SELECT count(*)::int AS n FROM orders')).rows[0].n as number;

describe('POST /orders', () => {
  it('places the order with line totals and the total in minor units, and emits order.placed with its status', async () => {
    const res = await post(body());
    expect(res.statusCode).toBe(202);
    const order = res.json<Order>();
    expect(order).toMatchObject({
      customerId: 'user-1',
      status: 'placed',
      version: 1,
      lines: [
        { sku: 'KIT-0001', name: 'Chef Knife', quantity: 2, unitPrice: eur(4999), lineTotal: eur(9998) },
        { sku: 'KIT-0002', name: 'Cutting Board', quantity: 1, unitPrice: eur(1250), lineTotal: eur(1250) },
      ],
      total: eur(11248),
      history: [{ status: 'placed' }],
    });
    expect(order).not.toHaveProperty('reason');
    expect(Date.parse(order.createdAt)).not.toBeNaN();

    expect(await outbox()).toEqual([
      {
        topic: `${prefix}orders.events`, message_key: order.id,
        event: expect.objectContaining({
          type: 'order.placed', subject: order.id,
          data: { orderId: order.id, customerId: 'user-1', lines: [{ sku: 'KIT-0001', quantity: 2 }, { sku: 'KIT-0002', quantity: 1 }], total: eur(11248) },
        }),
      },
      {
        topic: `${prefix}orders.events`, message_key: order.id,
        event: expect.objectContaining({ type: 'order.status.changed', data: { orderId: order.id, customerId: 'user-1', status: 'placed', version: 1 } }),
      },
    ]);
  });

  it('returns the same order for a retry with the same idempotency key, and places no second one', async () => {
    const first = body();
    const a = await post(first);
    const b = await post({ ...first, lines: [{ sku: 'KIT-0009', name: 'Other', quantity: 1, unitPrice: eur(1) }] });
    expect(a.statusCode).toBe(202);
    expect(b.statusCode).toBe(202);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.json().id).toBe(a.json().id);
    expect(b.json().total).toEqual(eur(11248)); // the key wins: a retry cannot change what was ordered
    expect(await orderCount()).toBe(1);
    expect((await outbox()).filter((r) => r.event.type === 'order.placed')).toHaveLength(1);
  });

  it('places one order for five concurrent requests with one key', async () => {
    const same = body();
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(same)));
    expect(responses.map((r) => r.statusCode)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    expect(await orderCount()).toBe(1);
    expect((await outbox()).filter((r) => r.event.type === 'order.placed')).toHaveLength(1);
  });

  it('keeps idempotency keys per customer: the same key from another customer is another order', async () => {
    const key = `checkout-${randomUUID()}`;
    const a = await post(body({ idempotencyKey: key }));
    const b = await post(body({ idempotencyKey: key, customerId: 'user-2' }));
    expect(b.json().id).not.toBe(a.json().id);
    expect(await orderCount()).toBe(2);
  });
});

describe('reading orders', () => {
  it('lists the customer’s own orders, newest first', async () => {
    const first = (await post(body())).json<Order>();
    await post(body({ customerId: 'user-2' }));
    const second = (await post(body())).json<Order>();
    const res = await app.inject({ method: 'GET', url: '/orders?customerId=user-1' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((o: Order) => o.id)).toEqual([second.id, first.id]);
    expect((await app.inject({ method: 'GET', url: '/orders?customerId=nobody' })).json()).toEqual({ items: [] });
  });

  it('answers an order to its customer, and 404 to anyone else', async () => {
    const order = (await post(body())).json<Order>();
    const own = await app.inject({ method: 'GET', url: `/orders/${order.id}?customerId=user-1` });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toEqual(order);

    const other = await app.inject({ method: 'GET', url: `/orders/${order.id}?customerId=user-2` });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: 'ORDERS_NOT_FOUND' });
    expect(other.json().message).not.toContain('user-1');

    const unknown = await app.inject({ method: 'GET', url: `/orders/${randomUUID()}?customerId=user-1` });
    expect(unknown.statusCode).toBe(404);
  });

  it.each([
    ['a list without customerId', '/orders', /customerId/],
    ['a list with a silly limit', '/orders?customerId=user-1&limit=1000', /limit/],
    ['an order without customerId', `/orders/${randomUUID()}`, /customerId/],
    ['an order id that is no uuid', '/orders/42?customerId=user-1', /id/],
  ])('refuses %s with a 400 naming the field', async (_name, url, message) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(message);
  });
});

describe('bad input to POST /orders', () => {
  const line = { sku: 'KIT-0001', name: 'Chef Knife', quantity: 1, unitPrice: eur(4999) };
  const cases: [string, unknown, RegExp][] = [
    ['no customerId', body({ customerId: undefined }), /customerId/],
    ['an empty customerId', body({ customerId: '' }), /customerId/],
    ['no lines', body({ lines: [] }), /lines/],
    ['a quantity of 0', body({ lines: [{ ...line, quantity: 0 }] }), /quantity/],
    ['a quantity of 100', body({ lines: [{ ...line, quantity: 100 }] }), /quantity/],
    ['a fractional quantity', body({ lines: [{ ...line, quantity: 1.5 }] }), /quantity/],
    ['a negative price', body({ lines: [{ ...line, unitPrice: eur(-1) }] }), /amount/],
    ['a price in dollars', body({ lines: [{ ...line, unitPrice: { amount: 100, currency: 'USD' } }] }), /currency/],
    ['a malformed SKU', body({ lines: [{ ...line, sku: 'kit 1' }] }), /sku/],
    ['the same SKU twice', body({ lines: [line, { ...line, quantity: 2 }] }), /lines\/1\/sku KIT-0001/],
    ['a total beyond what Money holds', body({ lines: [{ ...line, sku: 'LUX-0001', quantity: 99 }] }), /total/],
    ['a country that is no ISO code', body({ shippingAddress: { ...body().shippingAddress, country: 'Britain' } }), /country/],
    ['no postal code', body({ shippingAddress: { ...body().shippingAddress, postalCode: undefined } }), /postalCode/],
    ['a payment method that is no uuid', body({ paymentMethodId: '4242424242424242' }), /paymentMethodId/],
    ['a short idempotency key', body({ idempotencyKey: 'abc' }), /idempotencyKey/],
    ['malformed JSON', '{"customerId": ', /JSON/i],
  ];

  it.each(cases)('%s gets a 400 naming the problem, and nothing is written', async (_name, payload, message) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toMatchObject({ statusCode: 400, message: expect.stringMatching(message) });
    expect(await orderCount()).toBe(0);
    expect(await outbox()).toEqual([]);
  });
});

describe('pricing from the catalog', () => {
  it("charges the catalog's current price and name, whatever the caller sent", async () => {
    const res = await post(body({ lines: [{ sku: 'KIT-0001', name: 'Anything', quantity: 2, unitPrice: eur(1) }] }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({
      lines: [{ sku: 'KIT-0001', name: 'Chef Knife', quantity: 2, unitPrice: eur(4999), lineTotal: eur(9998) }],
      total: eur(9998),
    });
  });

  it.each([
    ['a product the catalog does not sell', 'KIT-0404', 'ORDERS_PRODUCT_UNKNOWN', /lines\/1\/sku KIT-0404 is not in the catalog/],
    ['a product priced 0 (sent as 0)', 'KIT-0050', 'ORDERS_PRODUCT_NOT_PRICED', /lines\/1\/sku KIT-0050 \(Free Sample\) has no price/],
  ])('refuses %s with a 409 naming the SKU, and nothing is written', async (_name, sku, code, message) => {
    const lines = [body().lines[0], { sku, name: 'Whatever', quantity: 1, unitPrice: eur(0) }];
    const res = await post(body({ lines }));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await orderCount()).toBe(0);
    expect(await outbox()).toEqual([]);
  });

  it('answers 503 and writes nothing while the catalog cannot be asked', async () => {
    catalogDown = true;
    try {
      const res = await post(body());
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'ORDERS_CATALOG_UNAVAILABLE', message: expect.stringMatching(/catalog/) });
    } finally {
      catalogDown = false;
    }
    expect(await orderCount()).toBe(0);
  });
});

describe('GET /metrics', () => {
  it('counts orders per saga status, every status present', async () => {
    expect((await post(body())).statusCode).toBe(202);
    expect((await post(body())).statusCode).toBe(202);
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    const scrape = parseMetrics(res.body);
    expect(sampleValue(scrape, 'orders_by_status', { status: 'placed' })).toBe(2);
    for (const status of ['reserved', 'paid', 'confirmed', 'rejected', 'cancelled']) {
      expect(sampleValue(scrape, 'orders_by_status', { status })).toBe(0);
    }
  });
});
