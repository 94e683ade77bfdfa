import fp from 'fastify-plugin';
import { sweepOverdue } from '../sweeper.ts';
import type { SagaContext } from '../saga.ts';

export interface SweeperOptions {
  saga: SagaContext;
  intervalMs: number;
}

/** Sweeps for overdue orders once at start and then every interval, for as long as the app is up. */
export const sweeperPlugin = fp<SweeperOptions>(
  async (app, { saga, intervalMs }) => {
    let running: Promise<unknown> | undefined;
    const sweep = () => {
      if (running) return; // a slow sweep is not overlapped by the next tick
      running = sweepOverdue(app.db, saga)
        .catch((err: unknown) => app.log.error({ err }, 'sweeping overdue orders failed'))
        .finally(() => { running = undefined; });
    };
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      sweep();
      timer = setInterval(sweep, intervalMs);
    });
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await running;
    });
  },
  { name: 'orders-sweeper', dependencies: ['database'] },
);
