import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@shop/platform/testing/database';
import { createTestOperator, type TestOperator } from '@shop/platform/testing/operator-keys';
import { buildApp, migrationsDir } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { seedStock } from '../src/seed.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: Awaited<ReturnType<typeof buildApp>>;
let operator: TestOperator;

beforeAll(async () => {
  db = await createTestDatabase('inventory', migrationsDir);
  operator = await createTestOperator();
  app = await buildApp(readConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' }), { messaging: false, operatorKeys: operator.keys });
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});
beforeEach(async () => {
  await app.db.query('TRUNCATE stock, outbox');
  await seedStock(app.db, [{ sku: 'KIT-0001', available: 10 }, { sku: 'KIT-0002', available: 0 }]);
});

const outbox = async () =>
  (await app.db.query<{ topic: string; message_key: string; event: { type: string; data: unknown } }>(
    'SELECT topic, message_key, event FROM outbox ORDER BY id',
  )).rows;

describe('stock API', () => {
  it('answers a SKU with its available, reserved and version', async () => {
    const res = await app.inject({ method: 'GET', url: '/stock/KIT-0001' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sku: 'KIT-0001', available: 10, reserved: 0, version: 1 });
  });

  it('answers several SKUs at once, leaving out unknown ones', async () => {
    const res = await app.inject({ method: 'GET', url: '/stock?sku=KIT-0002&sku=KIT-0001&sku=NOPE-1' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((i: { sku: string }) => i.sku)).toEqual(['KIT-0001', 'KIT-0002']);
  });

  it('sets stock, bumps the version and writes inventory.stock.changed to the outbox in the same transaction', async () => {
    const before = (await outbox()).length;
    const res = await app.inject({ method: 'PUT', url: '/stock/KIT-0001', headers: { authorization: operator.authorization }, payload: { available: 3 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ sku: 'KIT-0001', available: 3, version: 2 });
    const events = (await outbox()).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      topic: 'inventory.events',
      message_key: 'KIT-0001',
      event: { type: 'inventory.stock.changed', subject: 'KIT-0001', data: { sku: 'KIT-0001', available: 3, reserved: 0, version: 2 } },
    });
  });
});

describe('seeding again', () => {
  it("leaves known stock as it is and announces each SKU's current level, for consumers that lost theirs", async () => {
    await app.inject({ method: 'PUT', url: '/stock/KIT-0001', headers: { authorization: operator.authorization }, payload: { available: 3 } });
    const before = (await outbox()).length;
    expect(await seedStock(app.db, [{ sku: 'KIT-0001', available: 10 }])).toBe(0);
    expect((await app.inject({ method: 'GET', url: '/stock/KIT-0001' })).json()).toMatchObject({ available: 3, version: 2 });
    expect((await outbox()).slice(before).map((e) => e.event.data)).toEqual([{ sku: 'KIT-0001', available: 3, reserved: 0, version: 2 }]);
  });
});

describe('bad input', () => {
  const cases: [string, number, { url: string; payload?: string | object; method?: 'GET' | 'PUT' }, RegExp][] = [
    ['negative stock', 400, { url: '/stock/KIT-0001', payload: { available: -1 } }, /available/],
    ['fractional stock', 400, { url: '/stock/KIT-0001', payload: { available: 1.5 } }, /available/],
    ['stock as text', 400, { url: '/stock/KIT-0001', payload: { available: 'lots' } }, /available/],
    ['stock as a numeric string', 400, { url: '/stock/KIT-0001', payload: { available: '3' } }, /available/],
    ['an unknown field', 400, { url: '/stock/KIT-0001', payload: { available: 3, availble: 4 } }, /availble/],
    ['stock out of range', 400, { url: '/stock/KIT-0001', payload: { available: 10_000_000 } }, /available/],
    ['missing field', 400, { url: '/stock/KIT-0001', payload: {} }, /available/],
    ['malformed JSON', 400, { url: '/stock/KIT-0001', payload: '{"available": ' }, /JSON/i],
    ['malformed SKU', 400, { url: '/stock/kit%200001', payload: { available: 1 } }, /sku/],
    ['unknown SKU', 404, { url: '/stock/ZZZ-9999', payload: { available: 1 } }, /ZZZ-9999/],
    ['unknown SKU on read', 404, { url: '/stock/ZZZ-9999', method: 'GET' }, /ZZZ-9999/],
    ['batch without SKUs', 400, { url: '/stock', method: 'GET' }, /sku/],
  ];

  it.each(cases)('%s gets a %i JSON error that names the problem, and changes nothing', async (_name, status, req, message) => {
    const res = await app.inject({
      method: req.method ?? 'PUT',
      url: req.url,
      headers: { 'content-type': 'application/json', authorization: operator.authorization },
      ...(req.payload === undefined ? {} : { payload: typeof req.payload === 'string' ? req.payload : JSON.stringify(req.payload) }),
    });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json().message).toMatch(message);
    expect((await app.inject({ method: 'GET', url: '/stock/KIT-0001' })).json().available).toBe(10);
    expect(await outbox()).toHaveLength(2); // only the seed's events
  });
});

describe('admin access', () => {
  const put = (authorization?: string) =>
    app.inject({ method: 'PUT', url: '/stock/KIT-0001', headers: authorization ? { authorization } : {}, payload: { available: 0 } });
  const unchanged = async () => {
    expect((await app.inject({ method: 'GET', url: '/stock/KIT-0001' })).json().available).toBe(10);
    expect(await outbox()).toHaveLength(2); // only the seed's events
  };

  it('refuses to set stock without an operator token (401, WWW-Authenticate: Bearer)', async () => {
    const res = await put();
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.json()).toMatchObject({ code: 'AUTH_OPERATOR_TOKEN_REQUIRED', message: expect.stringMatching(/operator token/) });
    await unchanged();
  });

  it.each([
    ['a token that is not a JWT', async () => 'Bearer not.a.token'],
    ['another scheme', async () => `Basic ${Buffer.from('admin:admin').toString('base64')}`],
    ['an expired token', async () => `Bearer ${await operator.token({ issuedAt: Math.floor(Date.now() / 1000) - 7200, ttlSeconds: 60 })}`],
    ["a shopper's access token (another audience)", async () => `Bearer ${await operator.token({ audience: 'storefront' })}`],
    ['a token signed by another key', async () => (await createTestOperator()).authorization],
  ])('refuses %s with a 401', async (_name, authorization) => {
    const res = await put(await authorization());
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/operator token/i);
    await unchanged();
  });

  it("refuses an operator token without the 'admin' scope with a 403 naming the scope", async () => {
    const res = await put(`Bearer ${await operator.token({ scope: 'read' })}`);
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toMatch(/insufficient_scope/);
    expect(res.json()).toMatchObject({ code: 'AUTH_SCOPE_MISSING', message: expect.stringMatching(/'admin'/) });
    await unchanged();
  });

  it('still lets anyone read stock', async () => {
    expect((await app.inject({ method: 'GET', url: '/stock/KIT-0001' })).statusCode).toBe(200);
  });
});
