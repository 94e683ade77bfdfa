import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CloudEvent } from '@shop/contracts/envelope';
import { dlqTopic } from '@shop/contracts/topics';
import { applyOnce } from '@shop/platform/consume';
import { createPool, type Pool } from '@shop/platform/db';
import { ensureTopics } from '@shop/platform/kafka/admin';
import { readDeadLetters, readReplayLog, REPLAY_OF_HEADER } from '@shop/platform/kafka/dlq';
import { startConsumer, type Consumer } from '@shop/platform/kafka/consumer';
import { createPublisher, type Publisher } from '@shop/platform/kafka/publisher';
import { createLogger } from '@shop/platform/logger';
import { createTestDatabase } from '@shop/platform/testing/database';
import { readTopic } from '@shop/platform/testing/read-topic';
import { migrationsDir } from '@shop/inventory/app';
import { repoRoot } from '../src/parts.ts';
import { runDlq } from '../src/dlq/dlq.ts';

/**
 * `npm run dlq` against the real broker and a real consumer that applies events once (processed_events
 * in PostgreSQL, as every service's consumers do), on topics of the run's own (TOPIC_PREFIX).
 */
const run = randomUUID().slice(0, 8);
const prefix = `dlq${run}.`;
const topic = `${prefix}inventory.events`;
const brokers = inject('kafkaBrokers');
const cfg = { brokers, clientId: `dlq-test-${run}`, logger: createLogger('dlq-test', 'silent') };
const env = { ...process.env, TOPIC_PREFIX: prefix, KAFKA_BROKERS: brokers.join(','), LOG_LEVEL: 'warn' };

/** The command as an operator runs it: `npm run dlq -- <args>`, from the repository's root. */
async function npmRunDlq(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '-s', 'dlq', '--', ...args], { cwd: repoRoot, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const { code, stdout, stderr } = err as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/** The same command in this process (quicker, for the cases that need no second process). */
async function dlq(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runDlq(args, env, { out: (l) => stdout.push(l), err: (l) => stderr.push(l) });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

const event = (subject: string, data: object): CloudEvent => ({
  specversion: '1.0', id: randomUUID(), source: 'dlq-test', type: 'inventory.stock.changed', subject, time: new Date().toISOString(), data,
});

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let publisher: Publisher;
let consumer: Consumer;
/** The cause of the failures: while true, the handler throws (a bug, not an outage), so events are dead-lettered. */
let broken = true;
/** Every event id the handler applied (its effect committed). */
const applied: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('dlq_replay', migrationsDir);
  pool = createPool(db.url, 4);
  await ensureTopics(cfg, [topic]);
  publisher = await createPublisher(cfg);
  consumer = await startConsumer(cfg, {
    groupId: `dlq-test-${run}`, topics: [topic], fromBeginning: true, maxAttempts: 2,
    async handle({ event: e }) {
      if (broken) throw new Error('stock rule rejects this change (the bug being fixed)');
      await applyOnce(pool, 'dlq-test', e.id, async () => { applied.push(e.id); });
    },
  });
});
afterAll(async () => {
  await consumer?.stop();
  await publisher?.close();
  await pool?.end();
  await db?.drop();
});

describe('npm run dlq', () => {
  it('replays a dead-lettered event once its cause is fixed, and it is applied exactly once', async () => {
    const failed = event('DLQ-0001', { sku: 'DLQ-0001', available: 3 });
    await publisher.publish(topic, [{ key: failed.subject, value: JSON.stringify(failed), headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } }]);
    const [dead] = await readTopic(cfg, dlqTopic(topic), 1);
    const id = `${dlqTopic(topic)}:${dead!.partition}:${dead!.offset}`;

    const listed = await dlq('list', 'inventory.events');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain('not replayed');
    expect(listed.stdout).toContain('the bug being fixed');
    const shown = await dlq('show', id);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, key: 'DLQ-0001', value: { id: failed.id }, original: { topic }, replayed: null });

    broken = false; // the fix is deployed
    const first = await npmRunDlq('replay', id);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^${id.replaceAll('.', '\\.')}  replayed to ${topic.replaceAll('.', '\\.')}:\\d+:\\d+`));
    await expect.poll(() => applied.filter((a) => a === failed.id).length, { timeout: 30_000 }).toBe(1);

    // Again, by id and with --all: nothing is sent a second time.
    const again = await npmRunDlq('replay', id);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already replayed');
    expect((await dlq('replay', '--all', '--topic', 'inventory.events')).stdout).toBe('nothing to replay');

    // A later event on the same key (so the same partition, behind any resend) is applied; the replayed
    // one still only once, and the topic holds exactly one copy of it marked as a replay.
    const later = event('DLQ-0001', { sku: 'DLQ-0001', available: 2 });
    await publisher.publish(topic, [{ key: later.subject, value: JSON.stringify(later) }]);
    await expect.poll(() => applied.includes(later.id), { timeout: 30_000 }).toBe(true);
    expect(applied.filter((a) => a === failed.id)).toHaveLength(1);
    const copies = (await readDeadLetters(cfg, topic)).filter((m) => m.headers[REPLAY_OF_HEADER] === id);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.headers.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(Object.keys(copies[0]!.headers).filter((h) => h.startsWith('dlq-') && h !== REPLAY_OF_HEADER)).toEqual([]);
    expect((await dlq('list', 'inventory.events.dlq')).stdout).toMatch(/replayed 20\d\d-/);
  }, 240_000);

  it('says so for an unknown topic or id, exits non-zero and changes nothing', async () => {
    const before = {
      topic: (await readDeadLetters(cfg, topic)).length,
      dlq: (await readDeadLetters(cfg, dlqTopic(topic))).length,
      replays: (await readReplayLog(cfg, `${prefix}dlq.replays`)).size,
    };
    const cases: [string[], RegExp][] = [
      [['list', 'nope.events'], /unknown topic 'nope\.events': one of .*inventory\.events/],
      [['replay', '--all', '--topic', 'nope.events'], /unknown topic 'nope\.events'/],
      [['show', 'nope.events.dlq:0:0'], /unknown topic 'nope\.events\.dlq'/],
      [['replay', `${dlqTopic(topic)}:0:999999`], /no dead letter .*inventory\.events\.dlq:0:999999/],
      [['replay', 'not-an-id'], /'not-an-id' is not a dead letter id/],
      [['replay'], /needs a dead letter id or --all/],
      [['purge'], /unknown command 'purge'/],
    ];
    for (const [args, message] of cases) {
      const result = await dlq(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stdout, args.join(' ')).toBe('');
    }
    // And through npm, as an operator meets it.
    const cli = await npmRunDlq('replay', `${dlqTopic(topic)}:5:424242`);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/no dead letter/);

    expect({
      topic: (await readDeadLetters(cfg, topic)).length,
      dlq: (await readDeadLetters(cfg, dlqTopic(topic))).length,
      replays: (await readReplayLog(cfg, `${prefix}dlq.replays`)).size,
    }).toEqual(before);
  }, 240_000);
});
