import { Gauge, Registry } from 'prom-client';
import type { HealthRegistry, LoopState } from './health.ts';

/** A loop's state as a number, so a Prometheus alert can say `> 0`. */
export const LOOP_STATE_VALUE: Record<LoopState, number> = { ok: 0, degraded: 1, stuck: 2 };

/**
 * The server's Prometheus registry (text exposition format at `GET /metrics`), with the background
 * loops' health read at scrape time from `health` (each report bounded by `timeoutMs`):
 * - `background_loop_state{loop}`: 0 ok, 1 degraded, 2 stuck;
 * - `outbox_backlog{loop}`: events waiting in an outbox (reports that carry `backlog`);
 * - `outbox_oldest_pending_seconds{loop}`: age of the oldest of them (reports that carry `oldestPendingMs`).
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
  return registry;
}
