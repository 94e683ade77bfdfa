import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { dropDatabase } from '@shop/platform/db';
import { prepareDatabases } from '../databases.ts';
import { ensureKafka, type KafkaHandle } from '../kafka/broker.ts';
import { needsBuild } from '../launcher/build.ts';
import { buildStaleFrontends, buildStaleServers, launchPart, LaunchError } from '../launcher/launch.ts';
import type { RunningPart } from '../launcher/process.ts';
import { mintOperatorToken } from '../operator-token.ts';
import { databaseUrl, partUrl, parts, repoRoot, type Part } from '../parts.ts';
import { CHAOS_REDIS_DB, DATABASE_SERVICES } from './isolation.ts';

const READY_TIMEOUT_MS = 150_000;
const logDir = path.join(repoRoot, '.cache', 'chaos', 'logs');
const fragmentDist = (part: Part) => path.join(repoRoot, '.cache', 'chaos', 'dist', part.name);
/** Fragments address their assets absolutely (the port is built in), so the run serves builds of its own. */
const isFragment = (part: Part) => part.built && part.name !== 'shell';

/**
 * The storefront as `npm start` runs it (same launcher code), on the isolated ports, databases, Redis
 * database and broker that `isolation.ts` set in the environment. Knows the pid of every process it
 * started and is the only thing that signals them.
 */
export class ChaosSystem {
  private readonly running = new Map<string, RunningPart>();
  /** Parts that died without the run signalling them: "name (code): last line". */
  readonly unexpectedExits: string[] = [];
  private readonly expecting = new Set<string>();
  private kafka!: KafkaHandle;
  /** The run's own operator token (its identity, its database): kept in memory, never written over `npm start`'s. */
  operatorToken = '';

  constructor(private readonly say: (line: string) => void) {}

  /** Builds stale front ends, starts the run's own broker, fresh databases and every part; resolves when all are ready. */
  async start(): Promise<void> {
    await assertRedisDbUnused();
    buildStaleFrontends(this.say);
    await buildStaleServers(this.say);
    this.buildFragments();
    // A fresh cluster per run, like the fresh databases: no offsets or events from an earlier run.
    await rm(process.env.KAFKA_DATA_DIR!, { recursive: true, force: true });
    await this.startKafka();
    this.say('recreating the run\'s databases…');
    for (const s of DATABASE_SERVICES) await dropDatabase(databaseUrl(s));
    await prepareDatabases(this.say);
    for (const part of parts) {
      this.say(`starting ${part.name} on ${partUrl(part)}…`);
      await this.launch(part);
      if (part.name === 'identity') this.operatorToken = mintOperatorToken(this.kafka.brokers);
    }
  }

  get kafkaBrokers(): string[] {
    return this.kafka.brokers;
  }

  async startKafka(): Promise<void> {
    this.kafka = await ensureKafka({ log: this.say });
    if (!this.kafka.started || !this.kafka.pid) {
      throw new Error(`chaos: a broker already answers on ${this.kafka.brokers.join(',')}; the run must own its broker (stop the other chaos run)`);
    }
  }

  kafkaPid(): number {
    return this.kafka.pid!;
  }

  pid(name: string): number {
    const pid = this.running.get(name)?.child.pid;
    if (!pid) throw new Error(`chaos: no running process for ${name}`);
    return pid;
  }

  part(name: string): Part {
    return parts.find((p) => p.name === name)!;
  }

  /** Sends `signal` to a part the run started; the exit that follows is not reported as unexpected. */
  signal(name: string, signal: NodeJS.Signals): void {
    if (signal === 'SIGKILL' || signal === 'SIGTERM') this.expecting.add(name);
    process.kill(this.pid(name), signal);
  }

  /** Resolves when the part's process has exited. */
  exited(name: string): Promise<unknown> {
    return this.running.get(name)!.exited;
  }

  /** Starts the part again (after it exited) and waits for its `/ready`. */
  async restart(name: string): Promise<void> {
    await this.exited(name);
    this.expecting.delete(name);
    await this.launch(this.part(name));
  }

  /** Restarts every part that died on its own, so the next row starts from a whole system. */
  async reviveCrashed(): Promise<string[]> {
    const dead = [...this.running.entries()].filter(([, p]) => p.child.exitCode !== null || p.child.signalCode !== null);
    for (const [name] of dead) await this.launch(this.part(name));
    return dead.map(([name]) => name);
  }

  async stopAll(): Promise<void> {
    for (const name of this.running.keys()) this.expecting.add(name);
    await Promise.all([...this.running.values()].map((p) => p.stop()));
    await this.kafka?.stop();
  }

  /** Builds each fragment for the run's port into `.cache/chaos/dist/<name>`, unless that build is current. */
  private buildFragments(): void {
    for (const part of parts.filter((p) => isFragment(p) && needsBuild(path.join(repoRoot, p.dir), fragmentDist(p)))) {
      this.say(`building ${part.name} for ${partUrl(part)}…`);
      // The fragment's own build script (its Vite config imports TypeScript, which needs its config loader).
      execFileSync('npm', ['run', 'build', '--', '--outDir', fragmentDist(part), '--emptyOutDir', '--logLevel', 'warn'], {
        cwd: path.join(repoRoot, part.dir),
        stdio: 'inherit',
        env: { ...process.env, PORT: String(part.port) },
      });
    }
  }

  private async launch(part: Part): Promise<void> {
    try {
      const proc = await launchPart(part, {
        env: isFragment(part) ? { DIST_DIR: fragmentDist(part) } : {},
        kafkaBrokers: this.kafka.brokers,
        logDir,
        readyTimeoutMs: READY_TIMEOUT_MS,
        onStart: (p) => void this.running.set(part.name, p),
      });
      void proc.exited.then((code) => {
        if (this.expecting.has(part.name) || this.running.get(part.name) !== proc) return;
        this.unexpectedExits.push(`${part.name} exited on its own (code ${code}): ${proc.tail().at(-1) ?? ''}`);
        this.say(`✖ ${part.name} exited unexpectedly (code ${code}); log: .cache/chaos/logs/${part.name}.log`);
      });
    } catch (err) {
      if (err instanceof LaunchError) {
        for (const line of err.part.tail()) this.say(`    ${line}`);
      }
      throw err;
    }
  }
}

/** Refuses to run when another client already works in the run's Redis database (another chaos run). */
async function assertRedisDbUnused(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const list = (await redis.client('LIST')) as string;
    const others = list.split('\n').filter((l) => l.includes(` db=${CHAOS_REDIS_DB} `) && !l.includes(' cmd=client|list '));
    if (others.length) throw new Error(`chaos: ${others.length} other client(s) use Redis db ${CHAOS_REDIS_DB}; is another chaos run going?`);
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}
