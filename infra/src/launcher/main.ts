/**
 * `npm start`: builds what is not built (the front ends with Vite, each server into one JavaScript
 * file with esbuild: parts run on plain node), starts Kafka, Zipkin and the carts' Redis, prepares the
 * databases, then starts every part in dependency order, waiting for each one's `/ready`. Ctrl-C stops
 * all of it, Kafka and Redis included.
 */
import path from 'node:path';
import { ensureKafka } from '../kafka/broker.ts';
import { ensureProjectRedis } from '../redis/server.ts';
import { ensureZipkin } from '../zipkin/server.ts';
import { prepareDatabases } from '../databases.ts';
import { mintOperatorToken, operatorTokenFile, writeOperatorToken } from '../operator-token.ts';
import { partUrl, parts, repoRoot } from '../parts.ts';
import { instanceCount, instancePort, requireHaproxy, writeHaproxyConfig, type BalancedPart } from './balancer.ts';
import { buildStaleFrontends, buildStaleServers, launchPart, LaunchError } from './launch.ts';
import { startPart, waitUntilReady, type RunningPart } from './process.ts';

// Generous: on a freshly formatted broker a service's consumer may wait a while to join its group.
const READY_TIMEOUT_MS = 150_000;
const logDir = path.join(repoRoot, '.cache', 'logs');
const say = (line: string) => process.stdout.write(`▸ ${line}\n`);

const running: RunningPart[] = [];
let kafka: Awaited<ReturnType<typeof ensureKafka>> | undefined;
let redis: Awaited<ReturnType<typeof ensureProjectRedis>> | undefined;
let zipkin: Awaited<ReturnType<typeof ensureZipkin>> | undefined;
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping…');
    await Promise.all(running.map((p) => p.stop()));
    await Promise.all([kafka?.stop(), zipkin?.stop()]);
    await redis?.stop();
  }
  process.exit(code);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function report(part: RunningPart, problem: string) {
  process.stderr.write(`\n✖ ${problem}\n  last lines of ${part.name} (full log: .cache/logs/${part.name}.log):\n`);
  for (const line of part.tail()) process.stderr.write(`    ${line}\n`);
}

/** Parts run more than once (`<PART>_INSTANCES`), each with its instances' ports. */
function balancedParts(): BalancedPart[] {
  return parts
    .map((part) => ({ part, count: instanceCount(part) }))
    .filter(({ count }) => count > 1)
    .map(({ part, count }) => ({ name: part.name, port: part.port, instancePorts: Array.from({ length: count }, (_, i) => instancePort(part, i + 1)) }));
}

/** Throws naming both when two processes would listen on one port. */
function checkPortsDistinct(balanced: BalancedPart[]): void {
  const owner = new Map<number, string>(parts.map((p) => [p.port, p.name]));
  for (const b of balanced) {
    b.instancePorts.forEach((port, i) => {
      const other = owner.get(port);
      if (other) throw new Error(`instance ${i + 1} of ${b.name} would listen on ${port}, as ${other} does: set ${b.name.toUpperCase().replaceAll('-', '_')}_INSTANCE_PORT_BASE`);
      owner.set(port, `instance ${i + 1} of ${b.name}`);
    });
  }
}

try {
  const balanced = balancedParts();
  checkPortsDistinct(balanced);
  if (balanced.length > 0) requireHaproxy();
  buildStaleFrontends(say);
  await buildStaleServers(say);

  say('starting Kafka and Zipkin (the first run fetches them from Maven Central)…');
  // Zipkin starts beside everything else and is waited for last: the parts do not need it to serve
  // (spans sent before it answers are dropped), and a JVM on a busy machine can take a while.
  const zipkinStarting = ensureZipkin({ log: say }).then((handle) => { zipkin = handle; }, (err: Error) => err);
  kafka = await ensureKafka({ log: say });
  say(`Kafka ready at ${kafka.brokers.join(',')}${kafka.started ? '' : ' (already running)'}`);

  say('starting the carts\' and sessions\' Redis…');
  redis = await ensureProjectRedis({ log: say });
  say(`Redis ready at ${redis.url}${redis.started ? '' : ' (already running)'}`);

  say('preparing databases…');
  await prepareDatabases(say);

  let balancer: RunningPart | undefined;
  if (balanced.length > 0) {
    // Up before any part, so a part's dependents reach its usual address as soon as one instance is ready.
    const cfg = writeHaproxyConfig(path.join(repoRoot, '.cache', 'haproxy'), balanced);
    say(`starting the load balancer (HAProxy, ${path.relative(process.cwd(), cfg) || cfg}) for ${balanced.map((b) => `${b.name} ×${b.instancePorts.length}`).join(', ')}…`);
    balancer = startPart({ name: 'haproxy', cwd: repoRoot, entry: '', command: 'haproxy', args: ['-f', cfg, '-db'], env: {}, logDir });
    running.push(balancer);
    // Without it the balanced parts' usual addresses answer nobody: stop everything rather than limp on.
    void balancer.exited.then((code) => {
      if (stopping) return;
      report(balancer!, `the load balancer exited unexpectedly (code ${code})`);
      void stopAll(1);
    });
  }

  const onStart = (started: RunningPart) => void running.push(started);
  const launchFailed = async (err: unknown): Promise<never> => {
    if (!(err instanceof LaunchError)) throw err;
    report(err.part, err.message);
    return stopAll(1);
  };
  const watch = (proc: RunningPart) =>
    // A part that dies later is reported with its last words; the rest keep running.
    void proc.exited.then((code) => {
      if (!stopping) report(proc, `${proc.name} exited unexpectedly (code ${code})`);
    });

  for (const part of parts) {
    const instancePorts = balanced.find((b) => b.name === part.name)?.instancePorts;
    if (instancePorts) {
      say(`starting ${part.name} ×${instancePorts.length} (ports ${instancePorts.join(', ')})…`);
      const procs = await Promise.all(
        instancePorts.map((port, i) =>
          launchPart(part, { kafkaBrokers: kafka!.brokers, logDir, readyTimeoutMs: READY_TIMEOUT_MS, onStart, instance: { index: i + 1, port } }),
        ),
      ).catch(launchFailed);
      procs.forEach(watch);
      // Its usual address answers once HAProxy's check has seen an instance ready.
      await waitUntilReady(`${partUrl(part)}/ready`, balancer!, READY_TIMEOUT_MS).catch((err: Error) => launchFailed(new LaunchError(err.message, balancer!)));
    } else {
      say(`starting ${part.name}…`);
      const proc = await launchPart(part, { kafkaBrokers: kafka.brokers, logDir, readyTimeoutMs: READY_TIMEOUT_MS, onStart }).catch(launchFailed);
      watch(proc);
    }
    if (part.name === 'identity') {
      // Signed with identity's key, so the admin APIs started before it accept it once it answers its JWKS.
      writeOperatorToken(mintOperatorToken(kafka.brokers));
      say(`operator token for the admin APIs written to ${path.relative(process.cwd(), operatorTokenFile) || operatorTokenFile}`);
    }
  }

  const zipkinFailed = await zipkinStarting;
  if (zipkinFailed) throw zipkinFailed;

  const rows = parts.map((p) => {
    const ports = balanced.find((b) => b.name === p.name)?.instancePorts;
    return [p.name, partUrl(p), ports ? `ready (HAProxy over ${ports.length} instances: ${ports.join(', ')})` : 'ready'];
  });
  rows.push(['kafka', kafka.brokers.join(','), 'ready']);
  rows.push(['redis', redis.url, 'ready']);
  if (zipkin?.url) rows.push(['zipkin', zipkin.url, 'ready (traces)']);
  const width = (i: number) => Math.max(...rows.map((r) => r[i]!.length));
  process.stdout.write('\n');
  for (const r of rows) process.stdout.write(`  ${r[0]!.padEnd(width(0))}  ${r[1]!.padEnd(width(1))}  ${r[2]}\n`);
  process.stdout.write(`\nAdmin APIs take the operator token in ${operatorTokenFile}: -H "Authorization: Bearer $(cat ${path.relative(process.cwd(), operatorTokenFile) || operatorTokenFile})"\n`);
  process.stdout.write(`\nThe storefront is at ${partUrl(parts.at(-1)!)} — press Ctrl-C to stop everything.\n`);
} catch (err) {
  process.stderr.write(`\n✖ ${(err as Error).message}\n`);
  await stopAll(1);
}
