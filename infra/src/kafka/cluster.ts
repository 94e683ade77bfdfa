import { join } from 'node:path';
import { client, type KafkaConfig } from '@shop/platform/kafka/client';
import { createLogger } from '@shop/platform/logger';
import { startOwned, type OwnedProcess } from '../process/owned-process.ts';
import { kafkaAnswers } from './broker.ts';
import { CACHE_DIR, ensureJars } from './jars.ts';
import { jvmArgs, prepareClusterStorage, type BrokerFiles, type KafkaNode } from './storage.ts';

const START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;
// Three JVMs on a laptop: each smaller than the single broker's 512 MB.
const HEAP = '-Xmx384m';

/**
 * The nodes of a cluster of `count` on loopback: node n (from 1) has its broker on `firstPort + 2(n-1)`
 * and its controller on the port after (9092/9093, 9094/9095, 9096/9097 by default).
 */
export function clusterNodes(count: number, firstPort = 9092): KafkaNode[] {
  return Array.from({ length: count }, (_, i) => ({ id: i + 1, port: firstPort + 2 * i, controllerPort: firstPort + 2 * i + 1 }));
}

/** One running node of a cluster this process started. */
export interface ClusterNode extends KafkaNode {
  /** The JVM's pid while it runs (`setpriv` execs java, so it is the JVM's). */
  readonly pid: number | undefined;
  /** Sends `signal` and resolves once the node has exited (at once if it is not running). */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Starts the node again on its storage; resolves once its broker answers (throws after 120 s or if it exits). */
  restart(): Promise<void>;
}

/** A cluster this process started: its nodes are children, stopped with it. */
export interface KafkaCluster {
  brokers: string[];
  nodes: ClusterNode[];
  /** SIGTERM to every node (SIGKILL after 10 s); resolves once all have exited. */
  stop(): Promise<void>;
}

export interface StartClusterOptions {
  /** How many nodes (each a broker and a controller; all of them vote). */
  count: number;
  /** The first broker port (default 9092); see `clusterNodes`. */
  firstPort?: number;
  /** Where node storage goes: `<dataDir>/node-<port>` (default `.cache/kafka/cluster-<count>`). */
  dataDir?: string;
  log: (line: string) => void;
}

/**
 * Starts a KRaft cluster of `count` combined nodes on loopback (storage formatted with one cluster id on
 * first use, kept afterwards), with the project's jars and JVM flags. Resolves once every broker answers
 * and the cluster counts `count` brokers; throws, having stopped what it started, if a node exits or the
 * cluster is not up within 120 s.
 */
export async function startCluster({ count, firstPort = 9092, dataDir, log }: StartClusterOptions): Promise<KafkaCluster> {
  const specs = clusterNodes(count, firstPort);
  const base = dataDir ?? join(CACHE_DIR, `cluster-${count}`);
  const libs = await ensureJars(log);
  const files = await prepareClusterStorage(libs, specs, (n) => join(base, `node-${n.port}`), log);
  const brokers = specs.map((n) => `127.0.0.1:${n.port}`);
  log(`kafka: starting ${count} nodes, brokers ${brokers.join(',')}; storage in ${base}`);
  const begun = Date.now();
  const nodes = specs.map((spec, i) => runNode(spec, files[i]!, libs));
  const cluster: KafkaCluster = {
    brokers,
    nodes,
    stop: async () => { await Promise.all(nodes.map((n) => n.stop())); },
  };
  try {
    await Promise.all(nodes.map((n) => n.start()));
    await waitForBrokers(brokers, count);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  log(`kafka: ${count}-node cluster up in ${((Date.now() - begun) / 1000).toFixed(1)} s`);
  return cluster;
}

/** A node's process: started here, killed with this process. */
function runNode(spec: KafkaNode, files: BrokerFiles, libs: string) {
  let node: OwnedProcess | undefined;
  const cfg: KafkaConfig = { brokers: [`127.0.0.1:${spec.port}`], clientId: 'infra-kafka-cluster', logger: createLogger('infra-kafka', 'silent') };

  async function start() {
    node = startOwned('java', [HEAP, ...jvmArgs(libs, files), 'kafka.Kafka', files.properties], { file: files.consoleLog });
    const outcome = await node.waitUntil(() => kafkaAnswers(cfg), START_TIMEOUT_MS, 500);
    if (outcome === 'timeout') throw new Error(`kafka: node ${spec.id} (127.0.0.1:${spec.port}) did not answer within ${START_TIMEOUT_MS / 1000} s; see ${files.brokerLog}`);
    if (outcome !== 'up') throw new Error(`kafka: node ${spec.id} (127.0.0.1:${spec.port}) exited (${outcome}); see ${files.brokerLog}`);
  }

  return {
    ...spec,
    get pid() { return node?.running() ? node.child.pid : undefined; },
    kill: async (signal: NodeJS.Signals) => { await node?.kill(signal); },
    restart: start,
    start,
    stop: async () => { await node?.stop(STOP_GRACE_MS); },
  };
}

/** Waits until the cluster's metadata lists `count` brokers (each node registers once it has caught up). */
async function waitForBrokers(brokers: string[], count: number): Promise<void> {
  const admin = client({ brokers, clientId: 'infra-kafka-cluster', logger: createLogger('infra-kafka', 'silent') }).admin();
  const deadline = Date.now() + START_TIMEOUT_MS;
  let seen = 0;
  await admin.connect();
  try {
    while (Date.now() < deadline) {
      seen = await admin.describeCluster().then((c) => c.brokers.length, () => 0);
      if (seen >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await admin.disconnect();
  }
  throw new Error(`kafka: the cluster lists ${seen} of ${count} brokers after ${START_TIMEOUT_MS / 1000} s`);
}
