import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ensureKafka, type KafkaHandle } from '../kafka/broker.ts';
import { CACHE_DIR } from '../kafka/jars.ts';

/**
 * Kafka for a test run. A broker that is already up (or KAFKA_BROKERS) is used as it is; one this run
 * starts gets fresh storage of its own, so the topics every run creates do not pile up in the storage
 * `npm start` keeps.
 */
export async function ensureTestKafka(log: (line: string) => void): Promise<KafkaHandle> {
  const port = Number(process.env.KAFKA_PORT ?? 9092);
  if (process.env.KAFKA_BROKERS || process.env.KAFKA_DATA_DIR || (await listening(port))) return ensureKafka({ log });
  const dataDir = join(CACHE_DIR, `test-run-${port}`);
  await rm(dataDir, { recursive: true, force: true });
  // Only for this start: brokers that tests start themselves (on other ports) keep storage of their own.
  process.env.KAFKA_DATA_DIR = dataDir;
  try {
    return await ensureKafka({ log });
  } finally {
    delete process.env.KAFKA_DATA_DIR;
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => { socket.end(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
