import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { brokerList } from '@shop/platform/config';
import { createPool, withTransaction, type Pool } from '@shop/platform/db';
import { createLogger } from '@shop/platform/logger';
import { createEvent, enqueue } from '@shop/platform/outbox';
import { createTestDatabase } from '@shop/platform/testing/database';
import { readTopic } from '@shop/platform/testing/read-topic';
import { topicNames } from '@shop/platform/topics';
import { migrationsDir } from '@shop/inventory/app';

// Two inventory processes on one database (private ports), as `INVENTORY_INSTANCES=2` would run them:
// SIGKILL the one whose relay leads, and the other publishes what was pending within 10 s.
const PORTS = [18702, 18703];
const TAKEOVER_MS = 10_000;
const run = randomBytes(4).toString('hex');
const prefix = `failover-${run}.`;
const topic = topicNames(prefix).inventory;
const brokers = brokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092');
const kafka = { brokers, clientId: `inventory-failover-${run}`, logger: createLogger('inventory-failover', 'silent') };
const inventoryDir = fileURLToPath(new URL('../../../services/inventory/', import.meta.url));

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase('inventory_failover', migrationsDir);
  pool = createPool(db.url);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await pool?.end();
  await db?.drop();
});

/** Starts inventory as its `start` script does, on `port`, with a relay id and consumer group of this run's own. */
function startInventory(port: number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: inventoryDir,
    env: {
      ...process.env,
      PORT: String(port), DATABASE_URL: db.url, KAFKA_BROKERS: brokers.join(','), TOPIC_PREFIX: prefix,
      OUTBOX_RELAY_ID: `inventory-failover-${run}`, RESERVATIONS_GROUP_ID: `inventory-failover-${run}`,
      IDENTITY_URL: 'http://127.0.0.1:9', TRACING: 'off', LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

const relayRole = async (port: number): Promise<string | undefined> => {
  const res = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
  if (!res?.ok) return undefined;
  return ((await res.json()) as { loops?: Record<string, { role?: string }> }).loops?.['outbox-relay']?.role;
};

const pendingCount = async () =>
  Number((await pool.query('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL')).rows[0].n);

it('when the leading instance is SIGKILLed, the other publishes what was pending within 10 s', async () => {
  const processes = PORTS.map(startInventory);
  await expect.poll(() => Promise.all(PORTS.map(relayRole)), { timeout: 120_000, interval: 500 })
    .toEqual(expect.arrayContaining(['leader', 'follower']));
  const roles = await Promise.all(PORTS.map(relayRole));
  const leader = processes[roles.indexOf('leader')]!;
  const followerPort = PORTS[roles.indexOf('follower')]!;

  // The leader freezes with its lock held; stock changes meanwhile wait in the outbox. Then it dies.
  process.kill(leader.pid!, 'SIGSTOP');
  const events: string[] = [];
  for (const sku of ['KIT-0001', 'KIT-0002', 'KIT-0003']) {
    await withTransaction(pool, async (client) => {
      const event = createEvent('inventory', { type: 'inventory.stock.changed', subject: sku, data: { sku, available: 1, reserved: 0, version: 1 } });
      await enqueue(client, topic, event);
      events.push(event.id);
    });
  }
  expect(await pendingCount()).toBe(3);
  const exited = new Promise((resolve) => leader.once('exit', resolve));
  process.kill(leader.pid!, 'SIGKILL');
  await exited;

  // The relay marks a row published only once Kafka committed it: none pending means all on Kafka.
  await expect.poll(pendingCount, { timeout: TAKEOVER_MS, interval: 200 }).toBe(0);
  expect(await relayRole(followerPort)).toBe('leader');
  const seen = new Set<string>();
  const received = await readTopic(kafka, topic, (m) => {
    seen.add(JSON.parse(m.value!).id);
    return events.every((id) => seen.has(id));
  });
  expect(received.map((m) => JSON.parse(m.value!).id).filter((id: string) => events.includes(id)).sort()).toEqual([...events].sort());
});
