import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@shop/platform/auth';
import type { App } from '@shop/platform/server';
import { createTestDatabase } from '@shop/platform/testing/database';
import { buildApp as buildCart } from '@shop/cart/app';
import { readConfig as cartConfig } from '@shop/cart/config';
// Types only: the cart app's `productProjection` decorator.
import type {} from '@shop/cart/plugins/carts';
import { buildApp as buildOrders, migrationsDir as ordersMigrations } from '@shop/orders/app';
import { readConfig as ordersConfig } from '@shop/orders/config';
import { buildApp as buildPayments, migrationsDir as paymentsMigrations } from '@shop/payments/app';
import { readConfig as paymentsConfig } from '@shop/payments/config';
import { buildApp } from '../../src/app.ts';
import { FakeCatalog, FakeInventory } from '@shop/platform/testing/fake-clients';
import { FakeIdentity, startJwksServer } from '@shop/platform/testing/fake-identity';
import { SESSION_KEY_PREFIX, testConfig } from '../fakes.ts';
import { Browser, checkoutForm, products } from '../shop.ts';

/**
 * Integration: cart, checkout and orders against the real cart, payments and orders services (each with
 * its own Redis prefix or test database, on a random port, without Kafka: only their HTTP APIs are
 * exercised here; the saga is theirs to test).
 */
type Service = Awaited<ReturnType<typeof buildOrders>>;
const services: { app: Service; drop(): Promise<void> }[] = [];
const GHOST_SKU = 'GHO-0001';
const CART_PREFIX = `test:bff-web-cart:${randomUUID().slice(0, 8)}:`;
let cartService: Awaited<ReturnType<typeof buildCart>>;
let app: App;
let jwks: Awaited<ReturnType<typeof startJwksServer>>;
let identity: FakeIdentity;

async function start(build: (url: string) => Promise<Service>, name: string, migrations: string): Promise<string> {
  const database = await createTestDatabase(`bffweb_${name}`, migrations);
  const service = await build(database.url);
  services.push({ app: service, drop: database.drop });
  await service.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(service.server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const env = (url: string) => ({ DATABASE_URL: url, LOG_LEVEL: 'silent' as const });
  // Orders prices every line from the catalog: the shop's products, and nothing else.
  const catalog = {
    getPrices: async (skus: readonly string[]) =>
      [...products()].filter(([sku]) => skus.includes(sku)).map(([sku, p]) => ({ sku, name: p.name, price: p.unitPrice, version: 1 })),
  };
  const ordersUrl = await start((url) => buildOrders(ordersConfig(env(url)), { messaging: false, catalog }), 'orders', ordersMigrations);
  const paymentsUrl = await start(
    (url) => buildPayments(paymentsConfig(env(url)), { messaging: false }) as unknown as Promise<Service>,
    'payments',
    paymentsMigrations,
  );
  cartService = await buildCart(cartConfig({ REDIS_URL: testConfig().REDIS_URL, KEY_PREFIX: CART_PREFIX, LOG_LEVEL: 'silent' }), {
    messaging: false,
  });
  for (const [sku, { name, unitPrice, stock }] of products()) {
    await cartService.productProjection.applyCatalog(sku, 1, unitPrice, name);
    await cartService.productProjection.applyStock(sku, 1, stock);
  }
  // A product the cart's projection still prices at 0 but the catalog does not sell (any more).
  await cartService.productProjection.applyCatalog(GHOST_SKU, 1, { amount: 0, currency: 'EUR' }, 'Ghost lamp');
  await cartService.productProjection.applyStock(GHOST_SKU, 1, 5);
  await cartService.listen({ port: 0, host: '127.0.0.1' });
  const cartUrl = `http://127.0.0.1:${(cartService.server.address() as AddressInfo).port}`;
  identity = await FakeIdentity.create();
  jwks = await startJwksServer(identity);
  app = await buildApp(testConfig({ CART_URL: cartUrl, ORDERS_URL: ordersUrl, PAYMENTS_URL: paymentsUrl, DOWNSTREAM_TIMEOUT_MS: '5000' }), {
    clients: { catalog: new FakeCatalog(), inventory: new FakeInventory(), identity },
    tokens: createTokenVerifier({ jwksUrl: jwks.url }),
    liveEvents: null,
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await jwks?.close();
  cartService?.server.closeAllConnections();
  await cartService?.close();
  const redis = new Redis(testConfig().REDIS_URL);
  for (const prefix of [SESSION_KEY_PREFIX, CART_PREFIX]) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
  for (const { app: service, drop } of services) {
    service.server.closeAllConnections(); // bff-web's fetch keeps connections alive
    await service.close();
    await drop();
  }
});

async function shopper() {
  const browser = new Browser(app);
  await browser.register(`web-${randomUUID()}@example.com`);
  await browser.put('/api/cart/lines/KIT-0001', { quantity: 2 });
  return browser;
}

describe('cart against the real cart service', () => {
  it("merges the guest cart into the account's at registration, capped by stock", async () => {
    const account = new Browser(app);
    const email = `web-${randomUUID()}@example.com`;
    await account.register(email);
    await account.put('/api/cart/lines/KIT-0002', { quantity: 1 });
    await account.post('/api/session/sign-out');

    const browser = new Browser(app);
    await browser.session();
    await browser.put('/api/cart/lines/KIT-0001', { quantity: 3 });
    await browser.put('/api/cart/lines/KIT-0002', { quantity: 2 });
    const signedIn = await browser.signIn(email);
    expect(signedIn.statusCode).toBe(200);

    const cart = (await browser.get('/api/cart')).json();
    expect(cart.id).toBe(signedIn.json().cartId);
    expect(Object.fromEntries(cart.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity]))).toEqual({
      'KIT-0001': 3,
      'KIT-0002': 2, // 1 + 2, but 2 in stock
    });
  });

  it("passes the cart service's refusals on", async () => {
    const browser = new Browser(app);
    await browser.session();
    const tooMany = await browser.put('/api/cart/lines/KIT-0002', { quantity: 3 });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json()).toMatchObject({ code: 'WEB_INSUFFICIENT_STOCK', message: expect.stringMatching(/KIT-0002/) });
    const unknown = await browser.put('/api/cart/lines/NOPE-0001', { quantity: 1 });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'WEB_PRODUCT_NOT_FOUND', message: expect.stringMatching(/NOPE-0001/) });
  });
});

describe('checkout against the real payments and orders services', () => {
  it('places an order the user can then read, once per idempotency key', async () => {
    const browser = await shopper();
    const placed = await browser.post('/api/checkout', checkoutForm());
    expect(placed.statusCode).toBe(202);
    expect(placed.json()).toEqual({ orderId: expect.any(String), status: 'placed' });
    const again = await browser.post('/api/checkout', checkoutForm());
    expect(again.json()).toEqual(placed.json());

    const { orderId } = placed.json();
    const order = await browser.get(`/api/orders/${orderId}`);
    expect(order.statusCode).toBe(200);
    expect(order.json()).toMatchObject({
      id: orderId,
      status: 'placed',
      lines: [{ sku: 'KIT-0001', name: 'Chef knife', quantity: 2, unitPrice: { amount: 1999, currency: 'EUR' } }],
      total: { amount: 3998, currency: 'EUR' },
    });
    expect((await browser.get('/api/orders')).json()).toEqual([expect.objectContaining({ id: orderId })]);

    const other = await shopper();
    expect((await other.get(`/api/orders/${orderId}`)).statusCode).toBe(404);
    expect((await other.get('/api/orders')).json()).toEqual([]);
  });

  it.each([
    ['a card number that fails the Luhn check', { cardNumber: '4242 4242 4242 4241' }, 'payment/cardNumber'],
    ['an expired card', { expiry: '01/20' }, 'payment/expiry'],
  ])("shows payments' refusal of %s under its field", async (_case, card, field) => {
    const browser = await shopper();
    const form = checkoutForm();
    const res = await browser.post('/api/checkout', { ...form, payment: { ...form.payment, ...card } });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().fields)).toEqual([field]);
  });

  it('refuses a line the catalog does not sell (the cart priced it 0) with a 409 naming it, and places no order', async () => {
    const browser = await shopper();
    const added = await browser.put(`/api/cart/lines/${GHOST_SKU}`, { quantity: 1 });
    expect(added.statusCode).toBe(200);
    const res = await browser.post('/api/checkout', checkoutForm());
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'WEB_CHECKOUT_REFUSED', message: expect.stringMatching(new RegExp(`${GHOST_SKU} is not in the catalog`)) });
    expect((await browser.get('/api/orders')).json()).toEqual([]);
  });
});
