import { randomUUID } from 'node:crypto';
import createClient, { type Middleware } from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp as buildCart } from '@shop/cart/app';
import { readConfig as cartConfig } from '@shop/cart/config';
import { buildApp as buildCatalog, migrationsDir as catalogMigrations } from '@shop/catalog/app';
import { readConfig as catalogConfig } from '@shop/catalog/config';
import { seedCatalog } from '@shop/catalog/seed';
import { CatalogEventTypes } from '@shop/contracts/events/catalog';
import { buildApp as buildIdentity, migrationsDir as identityMigrations } from '@shop/identity/app';
import { readConfig as identityConfig } from '@shop/identity/config';
import { mintOperatorToken } from '@shop/identity/operator-tokens';
// Types only: `identity.db`, declared by the database plugin identity's app registers.
import type {} from '@shop/platform/database-plugin';
import { buildApp as buildInventory, migrationsDir as inventoryMigrations } from '@shop/inventory/app';
import { readConfig as inventoryConfig } from '@shop/inventory/config';
import { addSku } from '@shop/inventory/repository';
import { buildApp as buildOrders, migrationsDir as ordersMigrations } from '@shop/orders/app';
import { readConfig as ordersConfig } from '@shop/orders/config';
import { buildApp as buildPayments, migrationsDir as paymentsMigrations } from '@shop/payments/app';
import { readConfig as paymentsConfig } from '@shop/payments/config';
import { brokerList } from '@shop/platform/config';
import { createPool, withTransaction } from '@shop/platform/db';
import { ensureTopics } from '@shop/platform/kafka/admin';
import { createPublisher } from '@shop/platform/kafka/publisher';
import { createLogger } from '@shop/platform/logger';
import { createEvent } from '@shop/platform/outbox';
import type { App } from '@shop/platform/server';
import { createTestDatabase } from '@shop/platform/testing/database';
import { topicNames } from '@shop/platform/topics';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import type { paths } from './generated/api.d.ts';
import { listenOnRandomPort } from '@shop/platform/testing/live-events';
import { LiveClient, settle } from './support/live.ts';
import { REDIS_URL, testKeyspace } from './support/redis.ts';

/**
 * End to end through bff-mobile with the real services, run in process on ports of their own, over real
 * PostgreSQL (a database each), Redis and Kafka (topics, groups and keys unique to this run). The app is
 * the typed client generated from the OpenAPI document (openapi-fetch): register, browse, add to cart,
 * check out, and hear the order confirmed over /m.
 */
const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const SKU = 'TRIP-0001';

describe('a whole shopping trip through the typed client', () => {
  const run = randomUUID().slice(0, 8);
  const prefix = `test-${run}.`;
  const topics = topicNames(prefix);
  const keyspace = testKeyspace();
  const apps: App[] = [];
  const databases: { drop(): Promise<void> }[] = [];
  const sockets: LiveClient[] = [];
  let bffUrl: string;
  let operatorToken: string;

  const common = { LOG_LEVEL: 'silent', KAFKA_BROKERS, TOPIC_PREFIX: prefix, OUTBOX_POLL_MS: '500' };
  const database = async (service: string, migrations: string) => {
    const db = await createTestDatabase(service, migrations);
    databases.push(db);
    return db.url;
  };
  const start = async (app: App | Promise<App>) => {
    const built = await app;
    apps.push(built);
    return listenOnRandomPort(built);
  };

  beforeAll(async () => {
    const [catalogDb, inventoryDb, ordersDb, paymentsDb, identityDb] = await Promise.all([
      database('catalog', catalogMigrations),
      database('inventory', inventoryMigrations),
      database('orders', ordersMigrations),
      database('payments', paymentsMigrations),
      database('identity', identityMigrations),
    ]);

    // The range: one product in the catalog, and its stock in inventory.
    const catalogPool = createPool(catalogDb, 1);
    await seedCatalog(catalogPool, [{ slug: 'kitchen', name: 'Kitchen' }], [
      { sku: SKU, name: 'Trip Kettle', description: 'Boils water for the road.', category: 'kitchen', price: { amount: 4900, currency: 'EUR' } },
    ]);
    await catalogPool.end();
    const inventoryPool = createPool(inventoryDb, 1);
    await withTransaction(inventoryPool, (client) => addSku(client, SKU, 0));
    await inventoryPool.end();

    // The run's topics exist before the services start: some subscribe to topics other services create.
    await ensureTopics({ brokers: brokerList(KAFKA_BROKERS), clientId: `trip-${run}`, logger: createLogger('test', 'silent') }, Object.values(topics));

    const relay = (service: string) => `${service}-${run}`;
    // The catalog runs without messaging: its events go to the unprefixed topics, so this test sends the
    // cart what the catalog's relay would (below).
    // Identity first: the admin APIs verify operator tokens against its keys, and it mints this test's token.
    const identity = await buildIdentity(identityConfig({ ...common, DATABASE_URL: identityDb, OUTBOX_RELAY_ID: relay('identity') }));
    const identityUrl = await start(identity);
    operatorToken = await mintOperatorToken(identity.db, { ttlSeconds: 600 });
    // Then the catalog: orders prices every order from it.
    const catalogUrl = await start(buildCatalog(catalogConfig({ ...common, DATABASE_URL: catalogDb, IDENTITY_URL: identityUrl }), { messaging: false }));
    const [inventoryUrl, ordersUrl, paymentsUrl, cartUrl] = await Promise.all([
      start(buildInventory(inventoryConfig({ ...common, DATABASE_URL: inventoryDb, IDENTITY_URL: identityUrl, OUTBOX_RELAY_ID: relay('inventory'), RESERVATIONS_GROUP_ID: relay('inventory-reservations') }))),
      start(buildOrders(ordersConfig({ ...common, CATALOG_URL: catalogUrl, DATABASE_URL: ordersDb, OUTBOX_RELAY_ID: relay('orders'), SAGA_GROUP_ID: relay('orders-saga') }))),
      start(buildPayments(paymentsConfig({ ...common, DATABASE_URL: paymentsDb, OUTBOX_RELAY_ID: relay('payments'), CHARGES_GROUP_ID: relay('payments-charges') }))),
      start(buildCart(cartConfig({ ...common, REDIS_URL, KEY_PREFIX: `${keyspace.prefix}cart:`, CONSUMER_GROUP_ID: relay('cart'), OUTBOX_RELAY_ID: relay('cart') }))),
    ]);

    const bff = await buildApp(
      readConfig({
        ...common,
        CATALOG_URL: catalogUrl!,
        INVENTORY_URL: inventoryUrl!,
        IDENTITY_URL: identityUrl!,
        ORDERS_URL: ordersUrl!,
        PAYMENTS_URL: paymentsUrl!,
        CART_URL: cartUrl!,
        REDIS_URL,
        REDIS_KEY_PREFIX: keyspace.prefix,
        LIVE_GROUP_ID: relay('bff-mobile-live'),
      }),
    );
    bffUrl = await start(bff);
    for (let i = 0; i < 240 && (await bff.inject('/ready')).statusCode !== 200; i++) await settle(250);

    // What the catalog's relay would publish: the product, for the cart's projection.
    const publisher = await createPublisher({ brokers: brokerList(KAFKA_BROKERS), clientId: `trip-${run}`, logger: createLogger('test', 'silent') });
    const product = await (await fetch(`${catalogUrl}/products/${SKU}`)).json();
    await publisher.publish(topics.catalog, [
      {
        key: SKU,
        value: JSON.stringify(
          createEvent('catalog', {
            type: CatalogEventTypes.productUpserted,
            subject: SKU,
            data: { sku: SKU, name: product.name, description: product.description, category: product.category, price: product.price, version: product.priceVersion },
          }),
        ),
      },
    ]);
    await publisher.close();
    // An operator stocks the shelf (inventory's admin API): the stock event reaches the cart and the app.
    const stocked = await fetch(`${inventoryUrl}/stock/${SKU}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
      body: JSON.stringify({ available: 10 }),
    });
    expect(stocked.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    for (const app of apps.reverse()) await app.close().catch(() => undefined);
    await Promise.all(databases.map((db) => db.drop().catch(() => undefined)));
    await keyspace.drop();
  }, 60_000);

  it('registers, browses, fills the cart, checks out, and hears the order confirmed over /m', async () => {
    const client = createClient<paths>({ baseUrl: `${bffUrl}/m/v1` });

    // Register: the first tokens.
    const email = `trip-${run}@example.com`;
    const registered = await client.POST('/auth/register', { body: { email, password: 'correct horse battery', name: 'Tripper' } });
    expect(registered.response.status).toBe(201);
    const { accessToken } = registered.data!;
    const bearer: Middleware = {
      onRequest({ request }) {
        request.headers.set('authorization', `Bearer ${accessToken}`);
        return request;
      },
    };

    // Browse: the home screen, a search, the product.
    const home = await client.GET('/home');
    expect(home.data?.categories).toEqual([{ slug: 'kitchen', name: 'Kitchen' }]);
    const found = await client.GET('/products', { params: { query: { query: 'kettle', limit: 10 } } });
    expect(found.data?.items.map((p) => p.sku)).toEqual([SKU]);
    expect(found.data?.nextCursor).toBeNull();
    const detail = await client.GET('/products/{sku}', { params: { path: { sku: SKU }, query: { width: 360, dpr: 2 } } });
    expect(detail.data).toMatchObject({ sku: SKU, name: 'Trip Kettle', price: { amount: 4900, currency: 'EUR' }, image: `/m/v1/images/${SKU}?w=960` });
    const image = await fetch(`${bffUrl}${detail.data!.image}`);
    expect(image.headers.get('content-type')).toContain('image/svg+xml');
    expect(await image.text()).toMatch(/^<svg width="960" height="720"/);

    // The app goes live: its user stream, and the product it shows.
    const live = new LiveClient(bffUrl, { token: accessToken });
    sockets.push(live);
    await live.connect();
    await live.watch({ skus: [SKU] });
    expect(live.of('stock:changed').at(-1)).toMatchObject({ sku: SKU, available: 10, snapshot: true });

    // Add to cart (once the cart service has heard of the product and its stock).
    client.use(bearer);
    let cart = await client.PUT('/cart/lines/{sku}', { params: { path: { sku: SKU } }, body: { quantity: 2 } });
    for (let i = 0; cart.response.status !== 200 && i < 100; i++) {
      await settle(200);
      cart = await client.PUT('/cart/lines/{sku}', { params: { path: { sku: SKU } }, body: { quantity: 2 } });
    }
    expect(cart.data).toEqual({
      lines: [{ sku: SKU, name: 'Trip Kettle', quantity: 2, unitPrice: { amount: 4900, currency: 'EUR' }, lineTotal: { amount: 9800, currency: 'EUR' } }],
      total: { amount: 9800, currency: 'EUR' },
    });

    // Check out, retried once as a flaky network would: one order.
    const idempotencyKey = randomUUID();
    const body = {
      shippingAddress: { name: 'Tripper', line1: '1 Road', city: 'Berlin', postalCode: '10115', country: 'DE' },
      payment: { cardNumber: '4242 4242 4242 4242', expiry: '12/34', cvc: '123' },
    };
    const [placed, retried] = await Promise.all([
      client.POST('/checkout', { params: { header: { 'idempotency-key': idempotencyKey } }, body }),
      client.POST('/checkout', { params: { header: { 'idempotency-key': idempotencyKey } }, body }),
    ]);
    expect(placed.response.status).toBe(202);
    expect(retried.data?.orderId).toBe(placed.data!.orderId);
    const { orderId } = placed.data!;

    // The confirmation arrives over /m; the stock the order took arrives with it.
    const deadline = Date.now() + 45_000;
    while (!live.of('order:status').some((u) => u.orderId === orderId && u.status === 'confirmed') && Date.now() < deadline) await settle(100);
    const statuses = live.of('order:status').filter((u) => u.orderId === orderId).map((u) => u.status);
    expect(statuses.at(-1)).toBe('confirmed');
    expect(statuses).toEqual([...new Set(statuses)]); // each status once
    await live.waitFor('stock:changed', 2, 15_000);
    expect(live.of('stock:changed').at(-1)).toMatchObject({ sku: SKU, available: 8 });

    const order = await client.GET('/orders/{id}', { params: { path: { id: orderId } } });
    expect(order.data).toMatchObject({ id: orderId, status: 'confirmed', total: { amount: 9800, currency: 'EUR' } });
    const orders = await client.GET('/orders');
    expect(orders.data?.items.map((o) => o.id)).toEqual([orderId]);
  }, 120_000);
});
