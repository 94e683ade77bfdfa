import { createServer, type AddressInfo, type Server } from 'node:net';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CACHE_DIR, ensureJars } from '../kafka/jars.ts';
import { kafkaAnswers } from '../kafka/broker.ts';
import { jvmArgs, prepareStorage } from '../kafka/storage.ts';
import { startOwned, type OwnedProcess } from '../process/owned-process.ts';
import { createLogger } from '@shop/platform/logger';
import type { KafkaConfig } from '@shop/platform/kafka/client';

export interface BrokerProcessOptions {
  /** The client port; the controller listens on `controllerPort`. Default: two ports the system says are free. */
  port?: number;
  controllerPort?: number;
}

/** A Kafka broker a fault test owns: it may kill it (by pid) and start it again on the same storage. */
export interface BrokerProcess {
  brokers: string[];
  /** The JVM's pid while it runs. */
  readonly pid: number | undefined;
  /** Sends `signal` to the broker and resolves when it has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Starts the broker again with the same settings and storage; resolves once it answers. */
  restart(): Promise<void>;
  /** Stops the broker (SIGTERM, SIGKILL after 10 s) and deletes its storage. */
  remove(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

/**
 * Starts a broker of the test's own with the project's launcher pieces (jars, storage, JVM flags),
 * its fresh storage in `.cache/kafka/fault-<port>` (removed when it is started). Without ports it takes
 * two the system says are free, so tests running at once never meet on one. Resolves once it answers a
 * metadata request; throws if it exits or does not answer within 60 s. The broker dies with this process.
 */
export async function startBrokerProcess(options: BrokerProcessOptions = {}): Promise<BrokerProcess> {
  const [port, controllerPort] = options.port && options.controllerPort ? [options.port, options.controllerPort] as const : (await freePorts(2)) as [number, number];
  const libs = await ensureJars(() => undefined);
  // prepareStorage places the storage where KAFKA_DATA_DIR says: this broker's own, never the shared one.
  // Fresh storage each time: a log an earlier kill left half-recovered would make topic creation flaky.
  const dataDir = join(CACHE_DIR, `fault-${port}`);
  await rm(dataDir, { recursive: true, force: true });
  const previous = process.env.KAFKA_DATA_DIR;
  process.env.KAFKA_DATA_DIR = dataDir;
  const files = await prepareStorage(libs, port, controllerPort, () => undefined).finally(() => {
    if (previous === undefined) delete process.env.KAFKA_DATA_DIR;
    else process.env.KAFKA_DATA_DIR = previous;
  });
  const cfg: KafkaConfig = { brokers: [`127.0.0.1:${port}`], clientId: 'broker-process', logger: createLogger('broker-process', 'silent') };
  let broker: OwnedProcess | undefined;

  async function start() {
    broker = startOwned('java', ['-Xmx384m', ...jvmArgs(libs, files), 'kafka.Kafka', files.properties], { file: files.consoleLog, append: true });
    const outcome = await broker.waitUntil(() => kafkaAnswers(cfg), START_TIMEOUT_MS);
    if (outcome === 'up') return;
    await broker.kill('SIGKILL');
    throw new Error(`test broker on ${port} ${outcome === 'timeout' ? `did not answer within ${START_TIMEOUT_MS} ms` : `exited (${outcome})`}; see ${files.brokerLog}`);
  }

  await start();
  return {
    brokers: cfg.brokers,
    get pid() {
      return broker?.running() ? broker.child.pid : undefined;
    },
    kill: async (signal) => { await broker?.kill(signal); },
    restart: start,
    async remove() {
      await broker?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `count` distinct TCP ports on 127.0.0.1 that nothing listened on a moment ago (the system's choice). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
