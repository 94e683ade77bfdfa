import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@shop/contracts/envelope';
import { brokerList } from '@shop/platform/config';
import { createLogger } from '@shop/platform/logger';
import { createPublisher, type Publisher } from '@shop/platform/kafka/publisher';
import { topicNames } from '@shop/platform/topics';
import { startShop, type Shop } from './shop.ts';
import { listenOnRandomPort, stockChanged } from '@shop/platform/testing/live-events';
import { next, openSocket, waitUntil, watch, type TestSocket } from './live-fakes.ts';

/**
 * Integration, real Kafka: a hub instance keeps its consumer group across a restart (named by its
 * INSTANCE_ID, not its process), so a stock change made while bff-web was down reaches the page after.
 */
const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const SKU = 'LIVE-0009';

describe('live hub restart', () => {
  const run = randomUUID().slice(0, 8);
  const prefix = `test-${run}.`;
  const env = { LIVE_ENABLED: 'true', KAFKA_BROKERS, TOPIC_PREFIX: prefix, INSTANCE_ID: `restart-${run}` };
  const shops: Shop[] = [];
  const sockets: TestSocket[] = [];
  let publisher: Publisher | undefined;

  const publish = (event: CloudEvent) => publisher!.publish(topicNames(prefix).inventory, [{ key: event.subject, value: JSON.stringify(event) }]);

  async function startHub() {
    const shop = await startShop({ liveEvents: 'kafka', env });
    shops.push(shop);
    const url = await listenOnRandomPort(shop.app);
    return { shop, url };
  }

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await publisher?.close();
    for (const shop of shops) await shop.close().catch(() => undefined);
  });

  it('delivers a stock change produced while the hub was stopped to a socket connected after it restarts', async () => {
    const first = await startHub();
    await waitUntil(async () => (await first.shop.app.inject('/ready')).statusCode === 200, 60_000, 'bff-web ready');
    await first.shop.app.close(); // a graceful stop: the consumer leaves its group

    publisher = await createPublisher({ brokers: brokerList(KAFKA_BROKERS), clientId: `bff-web-test-${run}`, logger: createLogger('test', 'silent') });
    await publish(stockChanged(SKU, 3, 7));

    const second = await startHub();
    const socket = await openSocket(second.url);
    sockets.push(socket);
    const missed = next(socket, 'stock:changed', 30_000);
    expect(await watch(socket, [SKU])).toEqual({ watching: 1 });
    expect(await missed).toEqual({ sku: SKU, available: 3, status: 'low', version: 7 });
  }, 90_000);
});
