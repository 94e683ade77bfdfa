import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerList } from '../src/config.ts';
import { consumerPlugin } from '../src/consumer-plugin.ts';
import { databasePlugin } from '../src/database-plugin.ts';
import { brokerHealth, ensureTopics } from '../src/kafka/admin.ts';
import type { KafkaConfig } from '../src/kafka/client.ts';
import { createLogger } from '../src/logger.ts';
import { startOutboxRelay } from '../src/outbox.ts';
import { relayState } from '../src/relay-loop.ts';
import { outboxRelayPlugin } from '../src/outbox-relay-plugin.ts';
import { createServer } from '../src/server.ts';
import { createTestDatabase } from '../src/testing/database.ts';

const run = randomBytes(4).toString('hex');
const topic = `test-health-${run}.events`;
const brokers = brokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092');
const logger = createLogger('health-test', 'silent');
const kafka: KafkaConfig = { brokers, clientId: `health-test-${run}`, logger };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('/ready and /health with background loops', () => {
  it('names each loop in /ready, whose status stays about dependencies; /health fails only on a stuck loop', async () => {
    const app = createServer({ name: 'health-test', logLevel: 'silent' });
    let relayState: 'ok' | 'degraded' | 'stuck' = 'degraded';
    app.health.register('relay', () => ({ state: relayState, lastError: 'broker down' }));
    const unregisterSlow = app.health.register('slow', () => new Promise(() => undefined));
    try {
      let ready = await app.inject('/ready');
      // A loop that is failing (a broker outage) leaves the server in service.
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({
        status: 'ok',
        checks: {},
        loops: { relay: { state: 'degraded', lastError: 'broker down' }, slow: { state: 'degraded', error: expect.stringMatching(/no report/) } },
      });
      expect((await app.inject('/health')).statusCode).toBe(200);
      unregisterSlow();

      relayState = 'stuck';
      // What an operator's alert reads: the same states as numbers (0 ok, 1 degraded, 2 stuck).
      const metrics = await app.inject('/metrics');
      expect(metrics.statusCode).toBe(200);
      expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
      expect(metrics.body).toContain('background_loop_state{loop="relay"} 2');
      const health = await app.inject('/health');
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'stuck', loops: { relay: { state: 'stuck' } } });
      ready = await app.inject('/ready');
      expect(ready.statusCode).toBe(200);

      app.readinessChecks.set('database', async () => { throw new Error('connection refused'); });
      ready = await app.inject('/ready');
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'unavailable', checks: { database: 'connection refused' }, loops: { relay: { state: 'stuck' } } });
    } finally {
      await app.close();
    }
  });
});

describe('broker health', () => {
  it('is ok while the cluster answers, and degraded (not stuck) naming the failure when it does not', async () => {
    await expect(brokerHealth(kafka)()).resolves.toEqual({ state: 'ok' });
    // Nothing listens on port 1: what a dead broker looks like from here.
    const dead = await brokerHealth({ ...kafka, brokers: ['127.0.0.1:1'] }, 500)();
    expect(dead).toMatchObject({ state: 'degraded', error: expect.stringMatching(/^broker did not answer: /) });
  });

  it('reuses one probe for frequent /ready calls', async () => {
    const health = brokerHealth({ ...kafka, brokers: ['127.0.0.1:1'] }, 500, 60_000);
    const first = health();
    expect(health()).toBe(first);
    await first;
  });
});

describe('relay state', () => {
  const old = 120_000;
  const now = 1_000_000;
  it('is stuck only when it keeps failing for a reason it cannot wait out and the backlog is too old', () => {
    const wedged = { message: 'Cannot call "beginTransaction" in state "ABORTING"', at: now, outage: false };
    expect(relayState({ failingSince: now - old, lastError: wedged, listening: true, oldestPendingMs: old }, 60_000)).toBe('stuck');
    // A broker or database outage is waited out: a restart would not help.
    expect(relayState({ failingSince: now - old, lastError: { ...wedged, outage: true }, listening: true, oldestPendingMs: old }, 60_000)).toBe('degraded');
    expect(relayState({ failingSince: now, lastError: wedged, listening: true, oldestPendingMs: 1_000 }, 60_000)).toBe('degraded');
  });
  it('is degraded without its listener or while its runs fail, ok once a run succeeded again', () => {
    expect(relayState({ listening: false, oldestPendingMs: 0 }, 60_000)).toBe('degraded');
    const failure = { message: 'x', at: now - 1_000, outage: true };
    expect(relayState({ failingSince: now - 1_000, lastError: failure, listening: true, oldestPendingMs: 1_000 }, 60_000)).toBe('degraded');
    expect(relayState({ lastError: failure, listening: true, oldestPendingMs: 0 }, 60_000)).toBe('ok');
  });
});

describe('relay and consumer reports', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase('health', fixture('migrations'));
    await ensureTopics(kafka, [topic]);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('reports the leading relay and a joined consumer as ok, with backlog and listener', async () => {
    const app = createServer({ name: 'health-test', logLevel: 'silent' });
    await app.register(databasePlugin, { url: db.url });
    await app.register(outboxRelayPlugin, { brokers, relayId: `health-relay-${run}`, checkpointTopic: topic });
    await app.register(consumerPlugin, { brokers, groupId: `health-group-${run}`, topics: [topic], handle: async () => undefined });
    try {
      await app.ready();
      await app.outboxRelay.drain();
      const res = await app.inject('/ready');
      expect(res.statusCode).toBe(200);
      const metrics = (await app.inject('/metrics')).body;
      expect(metrics).toMatch(/outbox_backlog\{loop="outbox-relay"\} 0\n[^]*outbox_oldest_pending_seconds\{loop="outbox-relay"\} 0/);
      expect(metrics).toMatch(/^outbox_relay_leader\{loop="outbox-relay"\} 1$/m);
      expect(res.json().loops).toMatchObject({
        'outbox-relay': { state: 'ok', role: 'leader', backlog: 0, oldestPendingMs: 0, listening: true },
        [`consumer:health-group-${run}`]: { state: 'ok', joined: true },
        kafka: { state: 'ok' },
      });
      expect((await app.inject('/health')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('reports a relay whose publishing keeps failing for a non-outage reason as stuck once its backlog is old', async () => {
    const app = createServer({ name: 'health-test', logLevel: 'silent' });
    await app.register(databasePlugin, { url: db.url });
    await app.ready();
    await app.db.query(`INSERT INTO outbox (topic, message_key, event, created_at) VALUES ($1, 'k', '{}', now() - interval '2 minutes')`, [topic]);
    // A sink as wedged as the one a broker crash used to leave behind.
    const relay = await startOutboxRelay({
      pool: app.db,
      logger,
      stuckAfterMs: 60_000,
      sink: {
        publishBatch: async () => { throw new Error('Cannot call "beginTransaction" in state "ABORTING"'); },
        lastPublishedIds: async () => [],
        close: async () => undefined,
      },
    });
    app.health.register('outbox-relay', () => relay.health());
    try {
      await relay.drain();
      const health = await app.inject('/health');
      expect(health.statusCode).toBe(503);
      expect(health.json().loops['outbox-relay']).toMatchObject({
        state: 'stuck', role: 'leader', backlog: 1, lastError: expect.stringMatching(/ABORTING/),
      });
      expect(health.json().loops['outbox-relay'].oldestPendingMs).toBeGreaterThan(60_000);
      expect((await app.inject('/ready')).statusCode).toBe(200);
    } finally {
      await relay.stop();
      await app.close();
    }
  });
});
