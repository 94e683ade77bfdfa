import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CACHE_DIR, ensureJars } from '../kafka/jars.ts';
import { jvmArgs, prepareStorage } from '../kafka/storage.ts';
import { createLogger } from '@shop/platform/logger';
import { pingKafka } from '@shop/platform/kafka/admin';
import type { KafkaConfig } from '@shop/platform/kafka/client';

export interface BrokerProcessOptions {
  /** The client port; the controller listens on `controllerPort`. Pick ports no other broker uses. */
  port: number;
  controllerPort: number;
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
}

const START_TIMEOUT_MS = 60_000;

/**
 * Starts a broker of the test's own with the project's launcher pieces (jars, storage, JVM flags),
 * its fresh storage in `.cache/kafka/fault-<port>`. Resolves once it answers a metadata request; throws
 * if it exits or does not answer within 60 s. The broker is killed when this process exits.
 */
export async function startBrokerProcess({ port, controllerPort }: BrokerProcessOptions): Promise<BrokerProcess> {
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
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  async function start() {
    const out = openSync(files.consoleLog, 'a');
    try {
      child = spawn('java', ['-Xmx384m', ...jvmArgs(libs, files), 'kafka.Kafka', files.properties], { stdio: ['ignore', out, out] });
    } finally {
      closeSync(out);
    }
    const running = child;
    let exited: string | undefined;
    running.once('exit', (code, signal) => { exited = signal ?? `exit ${code}`; });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (exited) throw new Error(`test broker on ${port} exited (${exited}); see ${files.brokerLog}`);
      if (await pingKafka(cfg, 1_000).then(() => true, () => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    running.kill('SIGKILL');
    throw new Error(`test broker on ${port} did not answer within ${START_TIMEOUT_MS} ms; see ${files.brokerLog}`);
  }

  await start();
  return {
    brokers: cfg.brokers,
    get pid() {
      return child?.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    async kill(signal) {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill(signal);
      await exited;
    },
    restart: start,
  };
}
