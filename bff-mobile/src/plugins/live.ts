import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import type { TokenVerifier } from '@shop/platform/auth';
import type { LiveEventSource } from '@shop/platform/event-source';
import { createLiveIntake, type LiveIntake } from '@shop/platform/live-intake';
import { guardLiveHandshakes } from '@shop/platform/live-guards';
import { socketMetrics } from '@shop/platform/metrics';
import { drainSocketsOnClose } from '@shop/platform/socket-drain';
import { Problems, problemSlug, type ProblemCode } from '../errors.ts';
import type { ChangeLog } from '../live/change-log.ts';
import { attachLiveHub } from '../live/hub.ts';
import type { MobileNamespace } from '../live/socket-types.ts';
import { changeRecorder } from '../live/record.ts';

export interface LivePluginOptions {
  log: ChangeLog;
  /** null: nothing is consumed (apps connect, and get snapshots, but no changes). */
  source: LiveEventSource | null;
  verifier: TokenVerifier;
  problemTypeBase: string;
  /** Origins of browser pages that may connect (apps send none); empty: none. */
  allowedOrigins: string[];
  maxConnectionsPerAddress: number;
  maxWatchedPerSocket: number;
}

/**
 * socket.io on Fastify's own HTTP server (path /socket.io), namespace `/m`. Kafka events are written to
 * the change log; the hub delivers from the log to the apps following each stream.
 */
export const livePlugin = fp<LivePluginOptions>(
  async (app, { log, source, verifier, problemTypeBase, allowedOrigins, maxConnectionsPerAddress, maxWatchedPerSocket }) => {
    // WebSocket only: long-polling holds a request per client and needs sticky sessions behind a balancer.
    const io = new Server(app.server, { path: '/socket.io', serveClient: false, transports: ['websocket'] });
    guardLiveHandshakes(io, { allowedOrigins, maxPerAddress: maxConnectionsPerAddress });
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
      stockLevels: (skus) => app.clients.inventory.getStockBatch(skus),
      logger: logLive,
      problem,
      maxWatchedPerSocket,
    });
    app.decorate('live', { io, nsp, log });

    const intake = createLiveIntake({ source, handle: changeRecorder(log), log: logLive });
    app.decorate('liveIntake', intake);
    if (source) app.readinessChecks.set('live', intake.check);
    app.health.register('live-intake', intake.health);
    app.addHook('onReady', async () => {
      await log.ready();
      intake.start();
    });

    // The apps' sockets are in /m (the main namespace refuses everyone): those are the ones to move.
    socketMetrics(app.metrics, io, ['/m']);
    drainSocketsOnClose(app, io, ['/m']);
    app.addHook('onClose', async () => {
      await intake.stop();
      hub.close();
      await io.close();
      await log.close();
    });
  },
  { name: 'live', dependencies: ['clients'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    live: { io: Server; nsp: MobileNamespace; log: ChangeLog };
    /** The hub's Kafka intake; its `state()` is what `/ready` reports as `live`. */
    liveIntake: LiveIntake;
  }
}
