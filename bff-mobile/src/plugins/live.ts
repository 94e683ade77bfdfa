import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import type { TokenVerifier } from '@shop/platform/auth';
import type { LiveEventSource } from '@shop/platform/event-source';
import { Problems, problemSlug, type ProblemCode } from '../errors.ts';
import type { ChangeLog } from '../live/change-log.ts';
import { attachLiveHub, type MobileNamespace } from '../live/hub.ts';
import { changeRecorder } from '../live/record.ts';

export interface LivePluginOptions {
  log: ChangeLog;
  /** null: nothing is consumed (apps connect, and get snapshots, but no changes). */
  source: LiveEventSource | null;
  verifier: TokenVerifier;
  problemTypeBase: string;
}

/**
 * socket.io on Fastify's own HTTP server (path /socket.io), namespace `/m`. Kafka events are written to
 * the change log; the hub delivers from the log to the apps following each stream.
 */
export const livePlugin = fp<LivePluginOptions>(
  async (app, { log, source, verifier, problemTypeBase }) => {
    const io = new Server(app.server, { path: '/socket.io', serveClient: false, transports: ['websocket', 'polling'] });
    // Apps use the /m namespace only.
    io.use((_socket, next) => next(new Error('connect to the /m namespace')));
    const nsp = io.of('/m') as MobileNamespace;
    const logLive = app.log.child({ component: 'live' });
    const problem = (code: ProblemCode, detail: string) => ({
      type: problemTypeBase + problemSlug(code),
      title: Problems[code].title,
      status: Problems[code].status,
      detail,
      code,
    });
    const hub = attachLiveHub({
      nsp,
      log,
      verifier,
      stockLevels: (skus) => app.backends.inventory.getStockBatch(skus),
      logger: logLive,
      problem,
    });
    app.decorate('mobileLive', { io, nsp, log });

    let running: { stop(): Promise<void> } | undefined;
    const closing = new AbortController();
    if (source) {
      app.readinessChecks.set('live', async () => {
        if (!running) throw new Error('live event consumer is not running yet');
      });
      // Started in the background, retrying: the API is served while Kafka comes up; /ready says when changes flow.
      const startup = retry(handleAll, {
        maxAttempts: Infinity,
        backoff: new ExponentialBackoff({ initialDelay: 500, maxDelay: 15_000 }),
      }).dangerouslyUnref();
      startup.onRetry((reason) =>
        logLive.warn({ err: 'error' in reason ? reason.error : undefined }, 'live event consumer failed to start; retrying'),
      );
      const record = changeRecorder(log);
      app.addHook('onReady', async () => {
        await log.ready();
        void startup
          .execute(async ({ signal }) => {
            if (signal.aborted) throw new Error('shutting down');
            const started = await source.start(record);
            if (signal.aborted) return started.stop();
            running = started;
            logLive.info('live event consumer running');
          }, closing.signal)
          .catch(() => undefined); // only ends this way on shutdown
      });
    } else {
      app.addHook('onReady', () => log.ready());
    }

    // Open websockets would hold the HTTP server's close; apps reconnect to another instance.
    app.addHook('preClose', async () => {
      io.local.disconnectSockets(true);
    });
    app.addHook('onClose', async () => {
      closing.abort();
      await running?.stop().catch((err: unknown) => logLive.error({ err }, 'stopping the live event consumer failed'));
      running = undefined;
      hub.close();
      await io.close();
      await log.close();
    });
  },
  { name: 'mobile-live', dependencies: ['mobile-clients'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    mobileLive: { io: Server; nsp: MobileNamespace; log: ChangeLog };
  }
}
