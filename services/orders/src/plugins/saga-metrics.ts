import fp from 'fastify-plugin';
import type { OrderStatus } from '@shop/contracts/api/orders';
import { countsGauge } from '@shop/platform/metrics';

/** Every status an order can be in (the contract's, and the `orders.status` CHECK constraint's). */
const STATUSES = ['placed', 'reserved', 'paid', 'confirmed', 'rejected', 'cancelled'] as const satisfies readonly OrderStatus[];

/**
 * `orders_by_status{status}` at `/metrics`: how many orders are in each saga status, counted at scrape time.
 * Orders piling up in `placed`, `reserved` or `paid` mean a saga step is not answering.
 */
export const sagaMetricsPlugin = fp(
  async (app) => {
    countsGauge(app.metrics, {
      name: 'orders_by_status',
      help: 'Orders per saga status',
      label: 'status',
      keys: STATUSES,
      async read() {
        const { rows } = await app.db.query<{ status: string; count: string }>('SELECT status, count(*) AS count FROM orders GROUP BY status');
        return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
      },
    });
  },
  { name: 'orders-saga-metrics', dependencies: ['database'] },
);
