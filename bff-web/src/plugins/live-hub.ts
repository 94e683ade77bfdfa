import fp from 'fastify-plugin';
import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { CloudEvent } from '@shop/contracts/envelope';
import { CatalogEventTypes, PriceChanged } from '@shop/contracts/events/catalog';
import { InventoryEventTypes, StockChanged } from '@shop/contracts/events/inventory';
import { LiveRooms, type ClientToServerEvents, type ServerToClientEvents } from '@shop/contracts/live';
import { Sku } from '@shop/contracts/money';
import { ensureTopics, startConsumer } from '@shop/platform/kafka';
import { stockStatus } from '../lib/web-product.ts';

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents>;

/** Where the hub's events come from: Kafka in production, an in-memory feed in unit tests. */
export interface LiveEventSource {
  /** Resolves once events flow to `handle`; throws if the source cannot be reached (the hub retries). */
  start(handle: (event: CloudEvent) => Promise<void>): Promise<{ stop(): Promise<void> }>;
}

export interface KafkaSourceOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  topics: string[];
  logger: FastifyBaseLogger;
}

/**
 * Consumes the topics from their current end: a page fetched its snapshot over HTTP, so only
 * changes from now on matter, and events from before this process started have no one to replay to.
 */
export const kafkaEventSource = ({ brokers, clientId, groupId, topics, logger }: KafkaSourceOptions): LiveEventSource => ({
  async start(handle) {
    const cfg = { brokers, clientId, logger: logger as unknown as Logger };
    await ensureTopics(cfg, topics); // bff-web may come up before the services that produce to them
    return startConsumer(cfg, { groupId, topics, fromBeginning: false, handle: ({ event }) => handle(event) });
  },
});

/** The most rooms one `watch` may join (the contract's limit), and one socket may be in. */
const MAX_SKUS_PER_WATCH = 100;
const MAX_ROOMS_PER_SOCKET = 500;
const SkuList = Type.Array(Sku, { maxItems: MAX_SKUS_PER_WATCH });
const isSkuList = Compile(SkuList);
const isStockChanged = Compile(StockChanged);
const isPriceChanged = Compile(PriceChanged);

/** A handled event type whose data breaks its contract: thrown so the consumer dead-letters it. */
export class InvalidLiveEvent extends Error {
  override name = 'InvalidLiveEvent';
}

function explain(check: { Errors(value: unknown): { instancePath: string; message: string }[] }, value: unknown): string {
  const first = check.Errors(value)[0];
  return first ? `${first.instancePath || '/'} ${first.message}` : 'invalid';
}

/** Turns a domain event into the browser message for its product's room; other event types are not pushed. */
export function liveEventHandler(io: LiveServer) {
  return async (event: CloudEvent): Promise<void> => {
    switch (event.type) {
      case InventoryEventTypes.stockChanged: {
        if (!isStockChanged.Check(event)) throw new InvalidLiveEvent(`${event.type} ${event.id}: ${explain(isStockChanged, event)}`);
        const { sku, available, version } = event.data;
        io.to(LiveRooms.product(sku)).emit('stock:changed', { sku, available, status: stockStatus(available), version });
        return;
      }
      case CatalogEventTypes.priceChanged: {
        if (!isPriceChanged.Check(event)) throw new InvalidLiveEvent(`${event.type} ${event.id}: ${explain(isPriceChanged, event)}`);
        const { sku, price, version } = event.data;
        io.to(LiveRooms.product(sku)).emit('price:changed', { sku, price, version });
        return;
      }
      default:
        return;
    }
  };
}

const productRooms = (rooms: Set<string>) => [...rooms].filter((room) => room.startsWith(LiveRooms.product(''))).length;

function acceptWatchers(io: LiveServer, log: FastifyBaseLogger): void {
  io.on('connection', (socket) => {
    socket.on('watch', (skus, ack) => {
      const answer = typeof ack === 'function' ? ack : () => undefined;
      if (!isSkuList.Check(skus)) {
        answer({ error: `watch takes an array of at most ${MAX_SKUS_PER_WATCH} SKUs: ${explain(isSkuList, skus)}` });
        return;
      }
      const rooms = skus.map(LiveRooms.product);
      const adding = rooms.filter((room) => !socket.rooms.has(room)).length;
      if (productRooms(socket.rooms) + adding > MAX_ROOMS_PER_SOCKET) {
        answer({ error: `one connection may watch at most ${MAX_ROOMS_PER_SOCKET} products; unwatch some first` });
        return;
      }
      void socket.join(rooms); // the in-memory adapter joins synchronously
      answer({ watching: productRooms(socket.rooms) });
    });
    socket.on('unwatch', (skus) => {
      if (!isSkuList.Check(skus)) {
        log.debug({ socket: socket.id, why: explain(isSkuList, skus) }, 'ignored malformed unwatch');
        return;
      }
      for (const sku of skus) void socket.leave(LiveRooms.product(sku));
    });
  });
}

export interface LiveHubOptions {
  /** null: no event source (the hub accepts sockets but pushes nothing, and `/ready` does not wait for it). */
  source: LiveEventSource | null;
  /** How long a dropped connection keeps its rooms and missed events for a reconnect. */
  recoveryMs: number;
}

/**
 * socket.io on Fastify's own HTTP server (path /socket.io). Pages `watch` the products they show;
 * domain events from Kafka are pushed to each product's room.
 *
 * Every instance must see every event, because any instance may hold a product's watchers: the
 * consumer group is per instance (see LIVE_GROUP_ID). With the Redis adapter, one shared group would do.
 */
export const liveHubPlugin = fp<LiveHubOptions>(
  async (app, { source, recoveryMs }) => {
    const io: LiveServer = new Server<ClientToServerEvents, ServerToClientEvents>(app.server, {
      path: '/socket.io',
      serveClient: false,
      transports: ['websocket', 'polling'],
      connectionStateRecovery: { maxDisconnectionDuration: recoveryMs, skipMiddlewares: true },
    });
    acceptWatchers(io, app.log);
    app.decorate('io', io);

    let running: { stop(): Promise<void> } | undefined;
    const closing = new AbortController();
    const log = app.log.child({ component: 'live-hub' });

    if (source) {
      app.readinessChecks.set('live', async () => {
        if (!running) throw new Error('live event consumer is not running yet');
      });
      // Started in the background, retrying: pages are served (without live updates) while Kafka is
      // still coming up, and /ready says when updates flow.
      const startup = retry(handleAll, {
        maxAttempts: Infinity,
        backoff: new ExponentialBackoff({ initialDelay: 500, maxDelay: 15_000 }),
      }).dangerouslyUnref(); // a pending retry must not keep a closed app's process alive
      startup.onRetry((reason) =>
        log.warn({ err: 'error' in reason ? reason.error : undefined }, 'live event consumer failed to start; retrying'),
      );
      const forward = liveEventHandler(io);
      app.addHook('onReady', async () => {
        void startup
          .execute(async ({ signal }) => {
            if (signal.aborted) throw new Error('shutting down');
            const started = await source.start(forward);
            if (signal.aborted) return started.stop(); // the app closed while we were connecting
            running = started;
            log.info('live event consumer running');
          }, closing.signal)
          .catch(() => undefined); // only ends this way on shutdown
      });
    }

    // Open websockets would hold the HTTP server's close; clients reconnect to another instance.
    app.addHook('preClose', async () => {
      io.local.disconnectSockets(true);
    });
    app.addHook('onClose', async () => {
      closing.abort();
      await running?.stop().catch((err: unknown) => log.error({ err }, 'stopping the live event consumer failed'));
      running = undefined;
      await io.close();
    });
  },
  { name: 'live-hub' },
);

declare module 'fastify' {
  interface FastifyInstance {
    io: LiveServer;
  }
}
