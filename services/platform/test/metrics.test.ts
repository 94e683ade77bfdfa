import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
// Types only: the `kafkaBrokers` that infra's vitest globalSetup provides.
import type {} from '@shop/infra/testing/kafka-setup';
import type { CloudEvent } from '@shop/contracts/envelope';
import { dlqTopic } from '@shop/contracts/topics';
import { clientsPlugin } from '../src/clients/clients-plugin.ts';
import type { DownstreamSettings } from '../src/clients/service-clients.ts';
import { ensureTopics } from '../src/kafka/admin.ts';
import type { KafkaConfig } from '../src/kafka/client.ts';
import { startConsumer } from '../src/kafka/consumer.ts';
import { createPublisher, type Publisher } from '../src/kafka/publisher.ts';
import { createServer, type App } from '../src/server.ts';
import { FakeCatalog, product } from '../src/testing/fake-clients.ts';
import { parseMetrics, sampleValue } from '../src/testing/prometheus.ts';
import { readTopic } from '../src/testing/read-topic.ts';

const run = randomUUID().slice(0, 8);
const cfg: KafkaConfig = { brokers: inject('kafkaBrokers'), clientId: `metrics-test-${run}`, logger: pino({ level: 'silent' }) };

/** What Prometheus would read from the app now: the body must parse, else this throws. */
async function scrape(app: App) {
  const res = await app.inject('/metrics');
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(res.body);
}

describe('GET /metrics', () => {
  it('counts requests by route pattern and status with their latency, beside Node\'s runtime metrics', async () => {
    const app = createServer({ name: 'metrics-test', logLevel: 'silent' });
    app.get('/things/:id', async (req, reply) => ((req.params as { id: string }).id === 'gone' ? reply.code(410).send({}) : { ok: true }));
    try {
      for (const id of ['a', 'b', 'gone']) await app.inject(`/things/${id}`);
      await app.inject('/no/such/page');
      const families = await scrape(app);

      const get = { method: 'GET', route: '/things/:id' };
      expect(sampleValue(families, 'http_requests_total', { ...get, status_code: '200' })).toBe(2);
      expect(sampleValue(families, 'http_requests_total', { ...get, status_code: '410' })).toBe(1);
      expect(sampleValue(families, 'http_request_duration_seconds_count', { ...get, status_code: '200' })).toBe(2);
      // A URL nobody routes is one series, whatever was asked: a scanner cannot blow up the series count.
      expect(sampleValue(families, 'http_requests_total', { route: '(unmatched)', status_code: '404' })).toBe(1);
      const routes = families.samples.filter((s) => s.name === 'http_requests_total').map((s) => s.labels.route);
      expect(routes).not.toContain('/things/a');
      expect(families.types.get('http_request_duration_seconds')).toBe('histogram');

      expect(sampleValue(families, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(sampleValue(families, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
      expect(sampleValue(families, 'background_loop_state')).toBeUndefined(); // no loops here
    } finally {
      await app.close();
    }
  });

  it('shows each upstream call\'s outcome and latency and each circuit\'s state', async () => {
    const nowhere = 'http://127.0.0.1:1';
    const settings: DownstreamSettings = {
      CATALOG_URL: nowhere, INVENTORY_URL: nowhere, CART_URL: nowhere, ORDERS_URL: nowhere, PAYMENTS_URL: nowhere, IDENTITY_URL: nowhere,
      DOWNSTREAM_TIMEOUT_MS: 50, BREAKER_THRESHOLD: 2, BREAKER_HALF_OPEN_MS: 60_000,
    };
    const catalog = new FakeCatalog([product('A-1')]);
    const app = createServer({ name: 'metrics-test', logLevel: 'silent' });
    await app.register(clientsPlugin, { config: settings, replace: { catalog } });
    await app.ready();
    try {
      await app.clients.catalog.getProduct('A-1');
      let families = await scrape(app);
      expect(sampleValue(families, 'upstream_requests_total', { upstream: 'catalog', outcome: 'ok' })).toBe(1);
      expect(sampleValue(families, 'upstream_request_duration_seconds_count', { upstream: 'catalog', outcome: 'ok' })).toBe(1);
      expect(sampleValue(families, 'upstream_circuit_state', { upstream: 'catalog' })).toBe(0);

      catalog.behaviour = 'down';
      for (let i = 0; i < 3; i++) await app.clients.catalog.getProduct('A-1').catch(() => undefined);
      families = await scrape(app);
      expect(sampleValue(families, 'upstream_requests_total', { upstream: 'catalog', outcome: 'failed' })).toBe(3);
      expect(sampleValue(families, 'upstream_circuit_state', { upstream: 'catalog' })).toBe(2); // open
      expect(sampleValue(families, 'upstream_circuit_state', { upstream: 'inventory' })).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe('GET /metrics and Kafka', () => {
  let publisher: Publisher;
  const app = createServer({ name: 'metrics-kafka-test', logLevel: 'silent' });
  beforeAll(async () => {
    publisher = await createPublisher(cfg);
    await app.ready();
  });
  afterAll(async () => {
    await publisher?.close();
    await app.close();
  });

  const freshTopic = async (name: string) => {
    const topic = `test-${run}-${name}.events`;
    await ensureTopics(cfg, [topic]);
    return { topic, groupId: `test-${run}-${name}` };
  };
  const event = (subject: string): CloudEvent => ({
    specversion: '1.0', id: randomUUID(), source: 'metrics-test', type: 'test.thing.happened', subject, time: new Date().toISOString(), data: {},
  });

  it('counts a poison message as dead-lettered, by its topic and group', async () => {
    const { topic, groupId } = await freshTopic('poison');
    const consumer = await startConsumer(cfg, { groupId, topics: [topic], fromBeginning: true, handle: async () => undefined });
    try {
      expect(sampleValue(await scrape(app), 'messages_dead_lettered_total', { topic })).toBeUndefined();
      await publisher.publish(topic, [{ key: 'k', value: 'not an event' }]);
      await readTopic(cfg, dlqTopic(topic), 1);
      await expect.poll(async () => sampleValue(await scrape(app), 'messages_dead_lettered_total', { topic, group: groupId }), { timeout: 20_000 }).toBe(1);
    } finally {
      await consumer.stop();
    }
  });

  it('shows a consumer group\'s lag per partition, which grows while the consumer is stopped', async () => {
    const { topic, groupId } = await freshTopic('lag');
    const handled: string[] = [];
    const consumer = await startConsumer(cfg, {
      groupId, topics: [topic], fromBeginning: true, handle: async ({ event: e }) => { handled.push(e.id); },
    });
    const lag = async () => sampleValue(await scrape(app), 'kafka_consumergroup_lag', { group: groupId, topic });
    await publisher.publish(topic, [event('one')].map((e) => ({ key: e.subject, value: JSON.stringify(e) })));
    await expect.poll(() => handled.length, { timeout: 20_000 }).toBe(1);
    await expect.poll(lag, { timeout: 20_000 }).toBe(0);
    const families = await scrape(app);
    // One series per partition of the topic (ensureTopics makes six).
    expect(families.samples.filter((s) => s.name === 'kafka_consumergroup_lag' && s.labels.group === groupId)).toHaveLength(6);

    await consumer.stop();
    const backlog = ['a', 'b', 'c', 'd', 'e'].map(event);
    await publisher.publish(topic, backlog.map((e) => ({ key: e.subject, value: JSON.stringify(e) })));
    await expect.poll(lag, { timeout: 20_000 }).toBe(5);
  });
});
