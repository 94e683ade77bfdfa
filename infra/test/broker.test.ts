import { spawn } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, inject, test } from 'vitest';
import { pingKafka } from '@shop/platform/kafka/admin';
import { ensureKafka } from '../src/kafka/broker.ts';
import { brokerFiles } from '../src/kafka/storage.ts';

const logger = pino({ level: 'silent' });
const answers = (brokers: string[]) =>
  pingKafka({ brokers, clientId: 'broker-test', logger }, 1_000).then(() => true, () => false);

test('ensureKafka reuses the broker that already answers and leaves it running', async () => {
  const again = await ensureKafka({ log: () => {} });
  expect(again.started).toBe(false);
  expect(again.brokers).toEqual(inject('kafkaBrokers'));
  await again.stop();
  expect(await answers(again.brokers)).toBe(true);
});

/** Whether a JVM still runs with this data dir's config: the port closes before the JVM is gone. */
async function brokerProcessAlive(port: number): Promise<boolean> {
  const config = brokerFiles(port).properties;
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(config)) return true;
  }
  return false;
}

describe.each(['SIGKILL', 'SIGTERM'] as const)('a broker whose parent process gets %s', (signal) => {
  test('stops too', async () => {
    // A port of its own so the shared broker is untouched.
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const fixture = fileURLToPath(new URL('./fixtures/start-broker.ts', import.meta.url));
    const { KAFKA_BROKERS: _ignored, ...env } = process.env;
    const parent = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(port + 1) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(createInterface({ input: parent.stdout! }), 'line')) as [string];
      expect(JSON.parse(line)).toEqual({ started: true, brokers: [`127.0.0.1:${port}`] });
      expect(await answers([`127.0.0.1:${port}`])).toBe(true);

      parent.kill(signal);
      await once(parent, 'exit');
      await expect.poll(() => brokerProcessAlive(port), { timeout: 20_000, interval: 250 }).toBe(false);
      expect(await answers([`127.0.0.1:${port}`])).toBe(false);
    } finally {
      parent.kill('SIGKILL');
      await rm(brokerFiles(port).dataDir, { recursive: true, force: true });
    }
  });
});
