import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HealthRegistry, LoopState } from './health.ts';

/**
 * Prometheus metrics (prom-client, text exposition format 0.0.4). Two registries make up a server's
 * `GET /metrics`: the process's (Node's runtime metrics and what the process's Kafka clients and outbox
 * relays count, wherever they run) and the server's own (its HTTP requests, loops, upstreams, sockets).
 * In production one process runs one server, so the two are the same thing; tests run several apps in
 * one process, which then share the process's counters (labelled by topic, which tests make unique).
 */

/** A loop's state as a number, so a Prometheus alert can say `> 0`. */
export const LOOP_STATE_VALUE: Record<LoopState, number> = { ok: 0, degraded: 1, stuck: 2 };

/** The process's registry: runtime metrics (`process_*`, `nodejs_*`) and the counters below. */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

/** Events an outbox relay got the broker to commit, by topic (delivery is at least once: a resend counts again). */
export const outboxPublished = new Counter({
  name: 'outbox_published_total', help: 'Outbox events published to Kafka', labelNames: ['topic'], registers: [processRegistry],
});

/** Messages a consumer set aside in `<topic>.dlq`, by the topic they came from and the consumer group. */
export const deadLettered = new Counter({
  name: 'messages_dead_lettered_total', help: 'Messages dead-lettered, by original topic and consumer group',
  labelNames: ['topic', 'group'], registers: [processRegistry],
});

/** Buckets (seconds) for calls that answer in milliseconds but may take a downstream's whole budget. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A server's own registry (`app.metrics`), with the background loops' health read at scrape time from
 * `health` (each report bounded by `timeoutMs`):
 * - `background_loop_state{loop}`: 0 ok, 1 degraded, 2 stuck;
 * - `outbox_backlog{loop}`: events waiting in an outbox (reports that carry `backlog`);
 * - `outbox_oldest_pending_seconds{loop}`: age of the oldest of them (reports that carry `oldestPendingMs`);
 * - `outbox_relay_leader{loop}`: 1 while this instance's relay leads (publishes), 0 while it follows
 *   (reports that carry `role`); summed over a service's instances it should be 1.
 * Plugins add their own gauges to it (`registers: [app.metrics]`).
 */
export function createMetrics(health: HealthRegistry, timeoutMs: number): Registry {
  const registry = new Registry();
  let reports: ReturnType<HealthRegistry['reports']> | undefined;
  // One health read per scrape, shared by the gauges below.
  const read = () => (reports ??= health.reports(timeoutMs).finally(() => setImmediate(() => (reports = undefined))));

  new Gauge({
    name: 'background_loop_state', help: 'Background loop state: 0 ok, 1 degraded, 2 stuck', labelNames: ['loop'], registers: [registry],
    async collect() {
      this.reset();
      for (const [loop, report] of Object.entries(await read())) this.set({ loop }, LOOP_STATE_VALUE[report.state] ?? 1);
    },
  });
  new Gauge({
    name: 'outbox_backlog', help: 'Events waiting in the outbox', labelNames: ['loop'], registers: [registry],
    async collect() {
      this.reset();
      for (const [loop, { backlog }] of Object.entries(await read())) if (typeof backlog === 'number') this.set({ loop }, backlog);
    },
  });
  new Gauge({
    name: 'outbox_oldest_pending_seconds', help: 'Age of the oldest event waiting in the outbox', labelNames: ['loop'], registers: [registry],
    async collect() {
      this.reset();
      for (const [loop, { oldestPendingMs }] of Object.entries(await read())) {
        if (typeof oldestPendingMs === 'number') this.set({ loop }, oldestPendingMs / 1000);
      }
    },
  });
  new Gauge({
    name: 'outbox_relay_leader', help: 'Whether this instance\'s outbox relay leads (1) or follows (0)', labelNames: ['loop'], registers: [registry],
    async collect() {
      this.reset();
      for (const [loop, { role }] of Object.entries(await read())) if (typeof role === 'string') this.set({ loop }, role === 'leader' ? 1 : 0);
    },
  });
  return registry;
}

/** Route label of a request no route matched: one series, not one per URL a scanner tries. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Serves `GET /metrics` (Prometheus text: the process's registry, then `registry`) on `app`, and counts
 * every request it answers by method, route pattern (`/stock/:sku`, never the raw URL, so the series
 * stay few) and status code, with its latency:
 * - `http_requests_total{method,route,status_code}`;
 * - `http_request_duration_seconds{method,route,status_code}` (histogram, from arrival to the reply sent).
 * Used by `createServer` and by the shell's and fragments' static servers. Throws nothing.
 */
export function serveMetrics(app: FastifyInstance, registry: Registry = new Registry()): void {
  const requests = new Counter({
    name: 'http_requests_total', help: 'HTTP requests answered, by route pattern and status',
    labelNames: ['method', 'route', 'status_code'], registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds', help: 'Time from a request arriving to its reply being sent',
    labelNames: ['method', 'route', 'status_code'], buckets: LATENCY_BUCKETS, registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      status_code: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (_request, reply) => {
    const text = (await processRegistry.metrics()) + (await registry.metrics());
    return reply.type(registry.contentType).send(text);
  });
}

/** A circuit breaker's state as a number (`upstream_circuit_state`): 0 closed, 1 half-open, 2 open, 3 isolated. */
export const CIRCUIT_STATE_VALUE = { closed: 0, 'half-open': 1, open: 2, isolated: 3 } as const;

/** What an upstream call came to: `ok`, a `refused` 4xx (about the request), or a `failed` one (5xx, timeout, open circuit). */
export type UpstreamOutcome = 'ok' | 'refused' | 'failed';

/** Records one call to an upstream service: its outcome and how long it took (seconds). */
export type UpstreamObserver = (upstream: string, outcome: UpstreamOutcome, seconds: number) => void;

/**
 * Upstream (backend service) metrics of a BFF in `registry`:
 * - `upstream_requests_total{upstream,outcome}` and `upstream_request_duration_seconds{upstream,outcome}`
 *   (histogram), fed by the returned observer;
 * - `upstream_circuit_state{upstream}` (see CIRCUIT_STATE_VALUE), read from `circuits` at scrape time.
 */
export function upstreamMetrics(
  registry: Registry,
  circuits: () => Iterable<[string, keyof typeof CIRCUIT_STATE_VALUE]>,
): UpstreamObserver {
  const calls = new Counter({
    name: 'upstream_requests_total', help: 'Calls to backend services, by outcome', labelNames: ['upstream', 'outcome'], registers: [registry],
  });
  const duration = new Histogram({
    name: 'upstream_request_duration_seconds', help: 'Time a call to a backend service took',
    labelNames: ['upstream', 'outcome'], buckets: LATENCY_BUCKETS, registers: [registry],
  });
  new Gauge({
    name: 'upstream_circuit_state', help: 'Circuit breaker per backend service: 0 closed, 1 half-open, 2 open, 3 isolated',
    labelNames: ['upstream'], registers: [registry],
    collect() {
      for (const [upstream, state] of circuits()) this.set({ upstream }, CIRCUIT_STATE_VALUE[state]);
    },
  });
  return (upstream, outcome, seconds) => {
    calls.inc({ upstream, outcome });
    duration.observe({ upstream, outcome }, seconds);
  };
}

/** The parts of a socket.io `Server` the socket gauges read (structural: platform does not depend on socket.io). */
export interface CountableSocketServer {
  of(namespace: string): { sockets: Map<string, unknown>; adapter: { rooms: Map<string, Set<string>> } };
}

/**
 * Live-hub gauges in `registry`, read at scrape time for each of `namespaces`:
 * `live_sockets{namespace}` (connected sockets on this instance) and `live_rooms{namespace}` (rooms with
 * at least one socket, not counting the room socket.io makes for each socket's own id).
 */
export function socketMetrics(registry: Registry, io: CountableSocketServer, namespaces: string[]): void {
  new Gauge({
    name: 'live_sockets', help: 'Connected live sockets', labelNames: ['namespace'], registers: [registry],
    collect() {
      for (const namespace of namespaces) this.set({ namespace }, io.of(namespace).sockets.size);
    },
  });
  new Gauge({
    name: 'live_rooms', help: 'Live rooms with at least one socket', labelNames: ['namespace'], registers: [registry],
    collect() {
      for (const namespace of namespaces) {
        const { sockets, adapter } = io.of(namespace);
        let rooms = 0;
        for (const [room, members] of adapter.rooms) if (members.size > 0 && !sockets.has(room)) rooms++;
        this.set({ namespace }, rooms);
      }
    },
  });
}

export interface CountsGaugeOptions {
  name: string;
  help: string;
  /** The one label the counts are keyed by. */
  label: string;
  /** Keys always reported, 0 when absent from a read (so a status with no orders is a 0, not a gap). */
  keys?: readonly string[];
  /** Reads the counts now (a database query); a failed read leaves the gauge empty for that scrape. */
  read(): Promise<Record<string, number>>;
}

/** A gauge in `registry` whose values are counts read at scrape time (`orders_by_status{status}`, …). Throws nothing. */
export function countsGauge(registry: Registry, { name, help, label, keys = [], read }: CountsGaugeOptions): void {
  new Gauge({
    name, help, labelNames: [label], registers: [registry],
    async collect() {
      this.reset();
      const counts = await read().catch(() => undefined);
      if (!counts) return;
      for (const key of new Set([...keys, ...Object.keys(counts)])) this.set({ [label]: key }, counts[key] ?? 0);
    },
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's own Prometheus registry, served at `/metrics` after the process's; plugins add gauges to it. */
    metrics: Registry;
  }
}
