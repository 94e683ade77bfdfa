import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@shop/contracts/envelope';
import { brokerList } from '@shop/platform/config';
import { createPublisher, type Publisher } from '@shop/platform/kafka/publisher';
import { createLogger } from '@shop/platform/logger';
import { topicNames } from '@shop/platform/topics';
import { product, stock } from '@shop/platform/testing/fake-clients';
import { fakeBackends } from '../fakes.ts';
import { appWithFakes, type Fakes } from '../support/app.ts';
import { listenOnRandomPort, orderStatusChanged, stockChanged } from '@shop/platform/testing/live-events';
import { LiveClient, settle } from '../support/live.ts';
import { REDIS_URL, testKeyspace } from '../support/redis.ts';

/**
 * Integration: the live path over a real Kafka broker (globalSetup) and a real Redis change log, with
 * two bff-mobile instances sharing both, on topics and keys unique to this run. An app resumes on the
 * other instance than the one it left.
 */
const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const SKU = 'LIVE-0042';

describe('live updates over Kafka, shared by two instances through Redis', () => {
  const run = randomUUID().slice(0, 8);
  const topics = topicNames(`test-${run}.`);
  const keyspace = testKeyspace();
  let fakes: Fakes;
  let a: Awaited<ReturnType<typeof appWithFakes>>;
  let b: Awaited<ReturnType<typeof appWithFakes>>;
  let urlA: string;
  let urlB: string;
  let publisher: Publisher;
  const clients: LiveClient[] = [];
  let version = 1;

  const publish = (topic: string, event: CloudEvent) => publisher.publish(topic, [{ key: event.subject, value: JSON.stringify(event) }]);
  const changeStock = async (available: number) => {
    version = fakesVersion(available);
    await publish(topics.inventory, stockChanged(SKU, available, version));
    return version;
  };
  const fakesVersion = (available: number) => fakes.inventory.set(SKU, available);

  beforeAll(async () => {
    fakes = await fakeBackends([product(SKU)], [stock(SKU, 50, 1)]);
    const env = {
      LIVE_ENABLED: 'true',
      KAFKA_BROKERS,
      TOPIC_PREFIX: `test-${run}.`,
      LIVE_GROUP_ID: `test-${run}-live`,
      REDIS_URL,
      REDIS_KEY_PREFIX: keyspace.prefix,
    };
    // liveEvents and pageEvents undefined: the Kafka sources, as in production. Pages are kept long here, so
    // only an event can be what drops them.
    const instance = (id: string) =>
      appWithFakes({ fakes, env: { ...env, INSTANCE_ID: id, PAGE_EVENTS_GROUP_ID: `test-${run}-pages`, CATALOG_PAGE_CACHE_MAX_AGE_MS: '60000' }, deps: { liveEvents: undefined } });
    [a, b] = await Promise.all([instance('a'), instance('b')]);
    [urlA, urlB] = await Promise.all([listenOnRandomPort(a.app), listenOnRandomPort(b.app)]);
    const ready = async (t: typeof a) => {
      for (let i = 0; i < 240 && (await t.app.inject('/ready')).statusCode !== 200; i++) await settle(250);
    };
    await Promise.all([ready(a), ready(b)]);
    publisher = await createPublisher({ brokers: brokerList(KAFKA_BROKERS), clientId: `bff-mobile-test-${run}`, logger: createLogger('test', 'silent') });
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await publisher?.close();
    await Promise.all([a?.close(), b?.close()]);
    await fakes?.keys.close();
    await keyspace.drop();
  });

  it('pushes stock changes consumed from Kafka, and a resumed app gets the three it missed, in order, once', async () => {
    const { accessToken } = await a.signUp();
    const app = new LiveClient(urlA, { token: accessToken });
    clients.push(app);
    await app.connect();
    await app.watch({ skus: [SKU] });
    expect(app.of('stock:changed')).toEqual([expect.objectContaining({ sku: SKU, version: 1, snapshot: true })]);

    // A new consumer group starts at the topics' end once it has its partitions; until then a message
    // can slip past it, so change stock until one arrives live.
    let arrived: unknown;
    for (let i = 0; !arrived && i < 30; i++) {
      const wanted = await changeStock(40 - i);
      arrived = await app.waitFor('stock:changed', app.of('stock:changed').length + 1, 2_000).then(
        (all) => all.find((m) => m.version === wanted),
        () => undefined,
      );
    }
    expect(arrived).toBeDefined();
    await settle(500);
    const seen = app.of('stock:changed').at(-1)!.version;

    app.disconnect();
    const missed = [await changeStock(7), await changeStock(5), await changeStock(0)];

    // Back, on the other instance, with the last version it saw.
    const resumed = new LiveClient(urlB, { token: accessToken, since: { stock: { [SKU]: seen } } });
    clients.push(resumed);
    const deadline = Date.now() + 20_000;
    // The log gets the three as Kafka delivers them; reconnecting before that is the same as a gap-free resume later.
    while ((await readVersions()) < missed[2]! && Date.now() < deadline) await settle(100);
    await resumed.connect();
    await settle(300);
    expect(resumed.of('stock:changed')).toEqual([
      { sku: SKU, available: 7, status: 'in_stock', version: missed[0] },
      { sku: SKU, available: 5, status: 'low', version: missed[1] },
      { sku: SKU, available: 0, status: 'out', version: missed[2] },
    ]);
  }, 90_000);

  it("pushes an order's status changes to its customer, from whichever instance consumed them", async () => {
    const ada = await b.signUp();
    const onA = new LiveClient(urlA, { token: ada.accessToken });
    const onB = new LiveClient(urlB, { token: ada.accessToken });
    clients.push(onA, onB);
    await Promise.all([onA.connect(), onB.connect()]);
    const orderId = randomUUID();
    await publish(topics.orders, orderStatusChanged(orderId, ada.userId, 'placed', 1));
    await publish(topics.orders, orderStatusChanged(orderId, ada.userId, 'confirmed', 4));
    for (const app of [onA, onB]) {
      const updates = await app.waitFor('order:status', 2, 20_000);
      expect(updates.map((u) => [u.orderId, u.status])).toEqual([
        [orderId, 'placed'],
        [orderId, 'confirmed'],
      ]);
    }
    // Both instances heard of the change; it was logged once, so both apps saw the same positions.
    expect(onA.of('order:status').map((u) => u.seq)).toEqual(onB.of('order:status').map((u) => u.seq));
  }, 60_000);

  it('drops the kept product lists of every instance when a stock change is heard, not only the one logging it', async () => {
    const listed = async (url: string) => {
      const body = (await (await fetch(`${url}/m/v1/products?limit=5`)).json()) as { items: { sku: string; stock: { available: number } }[] };
      return body.items.find((i) => i.sku === SKU)!.stock.available;
    };
    /** Catalog's read model follows inventory, then inventory's event reaches the BFFs. */
    const change = async (available: number) => {
      const v = fakesVersion(available);
      // A new object, as a new answer would be: a kept page keeps the old one.
      const i = fakes.catalog.products.findIndex((p) => p.sku === SKU);
      fakes.catalog.products[i] = { ...fakes.catalog.products[i]!, available, stockVersion: v };
      await publish(topics.inventory, stockChanged(SKU, available, v));
    };
    const bothShow = async (available: number, timeout: number) =>
      expect.poll(async () => [await listed(urlA), await listed(urlB)], { timeout }).toEqual([available, available]);

    // Each instance's own group starts at the topics' end once it has its partitions: change until both hear.
    let heard = false;
    for (let i = 0; !heard && i < 30; i++) {
      await Promise.all([listed(urlA), listed(urlB)]); // kept now
      await change(60 + i);
      heard = await bothShow(60 + i, 2_000).then(() => true, () => false);
    }
    expect(heard).toBe(true);

    // Kept: asking again costs catalog nothing.
    const calls = fakes.catalog.calls;
    await Promise.all([listed(urlA), listed(urlB), listed(urlA), listed(urlB)]);
    expect(fakes.catalog.calls).toBe(calls);
    // A change: both instances drop their page (each would otherwise keep it for a minute).
    await change(2);
    await bothShow(2, 10_000);
  }, 120_000);

  /** The newest stock version the shared log holds for the product. */
  async function readVersions(): Promise<number> {
    const result = await a.app.live.log.read<{ version: number }>(`stock:${SKU}`, '0-0', { versioned: true });
    const entries = result.kind === 'entries' ? result.entries : result.latest ? [result.latest] : [];
    return entries.at(-1)?.data.version ?? 0;
  }
});
