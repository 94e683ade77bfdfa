import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ALL_TOPICS } from '@shop/contracts/topics';
import { brokerList } from '@shop/platform/config';
import { ensureTopics, pingKafka } from '@shop/platform/kafka/admin';
import type { KafkaConfig } from '@shop/platform/kafka/client';
import { createLogger } from '@shop/platform/logger';
import { startOwned } from '../process/owned-process.ts';
import { startCluster } from './cluster.ts';
import { ensureJars } from './jars.ts';
import { jvmArgs, prepareStorage, type BrokerFiles } from './storage.ts';

export interface KafkaHandle {
  brokers: string[];
  /** True when this call started the broker; only then does stop() do anything. */
  started: boolean;
  /** The broker's process id when this call started it (`setpriv` execs java, so it is the JVM's). */
  pid?: number;
  stop(): Promise<void>;
}

export interface EnsureKafkaOptions {
  /** Progress lines for people: the first run fetches jars and takes a while. */
  log: (line: string) => void;
}

const START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;
const HEAP = '-Xmx512m';

/**
 * Makes sure a Kafka cluster answers and has every contract topic (and its `.dlq` twin).
 * `KAFKA_BROKERS` names an existing cluster; otherwise a broker already on KAFKA_PORT is reused;
 * otherwise one is fetched, formatted and started as a child of this process. `KAFKA_NODES=3` (default 1)
 * makes that a cluster of three KRaft nodes instead (brokers on KAFKA_PORT, +2, +4; controllers on the
 * port after each; see `startCluster`), whose topics get three replicas and `min.insync.replicas=2`.
 */
export async function ensureKafka({ log }: EnsureKafkaOptions): Promise<KafkaHandle> {
  const port = portFromEnv('KAFKA_PORT', 9092);
  const controllerPort = portFromEnv('KAFKA_CONTROLLER_PORT', 9093);
  const nodes = nodesFromEnv();
  const external = process.env.KAFKA_BROKERS ? brokerList(process.env.KAFKA_BROKERS) : undefined;
  const brokers = external ?? (nodes > 1 ? Array.from({ length: nodes }, (_, i) => `127.0.0.1:${port + 2 * i}`) : [`127.0.0.1:${port}`]);
  const cfg: KafkaConfig = { brokers, clientId: 'infra-kafka', logger: createLogger('infra-kafka', 'warn') };

  let handle: KafkaHandle;
  if (external) {
    await pingKafka(cfg, 10_000).catch((err: Error) => {
      throw new Error(`kafka: KAFKA_BROKERS=${external.join(',')} does not answer: ${err.message}`);
    });
    log(`kafka: using KAFKA_BROKERS=${external.join(',')}`);
    handle = { brokers, started: false, stop: async () => {} };
  } else if (await kafkaAnswers(cfg)) {
    log(`kafka: reusing the ${nodes > 1 ? 'cluster' : 'broker'} already on ${brokers.join(',')}`);
    handle = { brokers, started: false, stop: async () => {} };
  } else if (nodes > 1) {
    const cluster = await startCluster({ count: nodes, firstPort: port, dataDir: process.env.KAFKA_DATA_DIR, log });
    handle = { brokers, started: true, pid: cluster.nodes[0]!.pid, stop: cluster.stop };
  } else {
    handle = await startBroker(cfg, port, controllerPort, log);
  }

  try {
    await ensureTopics(cfg, [...ALL_TOPICS]);
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}

async function startBroker(cfg: KafkaConfig, port: number, controllerPort: number, log: (line: string) => void) {
  const begun = Date.now();
  const libs = await ensureJars(log);
  const files = await prepareStorage(libs, port, controllerPort, log);
  log(`kafka: starting broker on 127.0.0.1:${port} (controller ${controllerPort}); logs in ${files.dataDir}`);

  const broker = startOwned('java', [HEAP, ...jvmArgs(libs, files), 'kafka.Kafka', files.properties], { file: files.consoleLog });
  const stop = () => broker.stop(STOP_GRACE_MS);
  const outcome = await broker.waitUntil(() => kafkaAnswers(cfg), START_TIMEOUT_MS);
  if (outcome === 'up') {
    log(`kafka: broker up in ${((Date.now() - begun) / 1000).toFixed(1)} s`);
    return { brokers: cfg.brokers, started: true, pid: broker.child.pid, stop };
  }
  await stop();
  // Another process may have won a race for the port: use its broker instead of failing.
  if (outcome !== 'timeout' && (await kafkaAnswers(cfg))) {
    log(`kafka: another broker took 127.0.0.1:${port} meanwhile; reusing it`);
    return { brokers: cfg.brokers, started: false, stop: async () => {} };
  }
  const why = outcome === 'timeout' ? `did not answer within ${START_TIMEOUT_MS / 1000} s` : `exited (${outcome})`;
  throw new Error(`kafka: broker on 127.0.0.1:${port} ${why}.\n${await logTail(files)}`);
}

/** True when the broker answers a metadata request within 1.5 s. */
export const kafkaAnswers = (cfg: KafkaConfig) => pingKafka(cfg, 1_500).then(() => true, () => false);

/** The last lines of the broker's logs, stack frames left out so the messages and causes fit. */
async function logTail(files: BrokerFiles, lines = 30): Promise<string> {
  const tail = async (file: string) =>
    existsSync(file)
      ? (await readFile(file, 'utf8')).trimEnd().split('\n')
        .filter((line) => !/^\s+(at |\.\.\. \d+ more)/.test(line)).slice(-lines).join('\n')
      : '';
  const parts = [[files.brokerLog, await tail(files.brokerLog)], [files.consoleLog, await tail(files.consoleLog)]];
  return parts.filter(([, text]) => text).map(([file, text]) => `--- ${file}\n${text}`).join('\n') || '(the broker wrote no log)';
}

/** `KAFKA_NODES`: how many nodes a cluster started here has (1 to 9; default 1). */
function nodesFromEnv(): number {
  const raw = process.env.KAFKA_NODES;
  if (raw === undefined || raw === '') return 1;
  const nodes = Number(raw);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9) throw new Error(`KAFKA_NODES must be a whole number from 1 to 9 (3 for a replicated cluster), got "${raw}"`);
  return nodes;
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${name} must be a TCP port, got "${raw}"`);
  return port;
}
