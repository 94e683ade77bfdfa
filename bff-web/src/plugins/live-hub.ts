import fp from 'fastify-plugin';
import type { FastifyBaseLogger } from 'fastify';
import { Server } from 'socket.io';
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { CloudEvent } from '@shop/contracts/envelope';
import { CartEventTypes, CartUpdated } from '@shop/contracts/events/cart';
import { CatalogEventTypes, PriceChanged } from '@shop/contracts/events/catalog';
import { InventoryEventTypes, StockChanged } from '@shop/contracts/events/inventory';
import { OrderEventTypes, OrderStatusChanged } from '@shop/contracts/events/orders';
import { LiveRooms, type ClientToServerEvents, type ServerToClientEvents } from '@shop/contracts/live';
import { Sku } from '@shop/contracts/money';
import type { LiveEventSource } from '@shop/platform/event-source';
import { sessionHandle } from '../lib/session-store.ts';
import { stockStatus } from '../lib/web-product.ts';
import type { SessionData } from '../schemas/session.ts';

/** Per socket: the private rooms its session entitles it to (set at the handshake). */
export interface SocketData {
  privateRooms: string[];
}

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** The most rooms one `watch` may join (the contract's limit), and one socket may be in. */
const MAX_SKUS_PER_WATCH = 100;
const MAX_ROOMS_PER_SOCKET = 500;
const SkuList = Type.Array(Sku, { maxItems: MAX_SKUS_PER_WATCH });
const isSkuList = Compile(SkuList);
const isStockChanged = Compile(StockChanged);
const isPriceChanged = Compile(PriceChanged);
const isCartUpdated = Compile(CartUpdated);
const isOrderStatusChanged = Compile(OrderStatusChanged);

/** A handled event type whose data breaks its contract: thrown so the consumer dead-letters it. */
export class InvalidLiveEvent extends Error {
  override name = 'InvalidLiveEvent';
}

function explain(check: { Errors(value: unknown): { instancePath: string; message: string }[] }, value: unknown): string {
  const first = check.Errors(value)[0];
  return first ? `${first.instancePath || '/'} ${first.message}` : 'invalid';
}

/**
 * Turns a domain event into the browser message for its room: stock and price to the product's room,
 * a cart's change to the cart's room, an order's status to its customer's room. Other types are not pushed.
 */
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
      case CartEventTypes.updated: {
        if (!isCartUpdated.Check(event)) throw new InvalidLiveEvent(`${event.type} ${event.id}: ${explain(isCartUpdated, event)}`);
        const { cartId, itemCount, version } = event.data;
        io.to(LiveRooms.cart(cartId)).emit('cart:changed', { cartId, itemCount, version });
        return;
      }
      case OrderEventTypes.statusChanged: {
        if (!isOrderStatusChanged.Check(event))
          throw new InvalidLiveEvent(`${event.type} ${event.id}: ${explain(isOrderStatusChanged, event)}`);
        const { orderId, customerId, status, reason, version } = event.data;
        io.to(LiveRooms.user(customerId)).emit('order:status', { orderId, status, version, ...(reason === undefined ? {} : { reason }) });
        return;
      }
      default:
        return;
    }
  };
}

const productRooms = (rooms: Set<string>) => [...rooms].filter((room) => room.startsWith(LiveRooms.product(''))).length;

/** A session's own room: how sign-in and sign-out find the sockets of a browser to move them. */
const sessionRoom = (sid: string) => `session:${sessionHandle(sid)}`;
const PRIVATE_ROOM_PREFIXES = [LiveRooms.user(''), LiveRooms.cart(''), 'session:'];
const isPrivateRoom = (room: string) => PRIVATE_ROOM_PREFIXES.some((prefix) => room.startsWith(prefix));

/** The rooms a session's sockets belong in: its cart's, its user's (signed in), its own. */
export function privateRooms(sid: string, data: SessionData): string[] {
  const rooms = [sessionRoom(sid), LiveRooms.cart(data.cartId)];
  if (data.user) rooms.push(LiveRooms.user(data.user.id));
  return rooms;
}

/** The session named by a handshake's cookies, checked like an HTTP request's; null for none. */
export type SessionLookup = (cookieHeader: string | undefined) => Promise<{ sid: string; data: SessionData } | null>;

/**
 * Private rooms are joined by the server only, from the session the handshake's cookie names: there is
 * no event a client could use to join a user's or a cart's room. A connection without a session (or
 * whose session cannot be read right now) gets product rooms only.
 */
function authenticateSockets(io: LiveServer, lookup: SessionLookup, log: FastifyBaseLogger): void {
  io.use((socket, next) => {
    lookup(socket.handshake.headers.cookie)
      .then((session) => {
        socket.data.privateRooms = session ? privateRooms(session.sid, session.data) : [];
      })
      .catch((err: unknown) => {
        log.warn({ err, socket: socket.id }, 'socket session unreadable: product rooms only');
        socket.data.privateRooms = [];
      })
      .finally(() => next());
  });
  io.on('connection', (socket) => {
    // A recovered connection gets its old rooms back: keep the private ones only if the session still has them.
    const wanted = new Set(socket.data.privateRooms ?? []);
    for (const room of socket.rooms) if (isPrivateRoom(room) && !wanted.has(room)) void socket.leave(room);
    void socket.join([...wanted]);
  });
}

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

/** `app.live`: moves a browser's sockets along when its session changes. */
export interface LiveSessions {
  /**
   * After sign-in or sign-out (a new session id, maybe a new user and cart): every socket of the old
   * session leaves the rooms it no longer belongs in and joins the new session's, on every instance.
   * So open tabs follow without reconnecting.
   */
  moveSession(oldSid: string, newSid: string, data: SessionData): Promise<void>;
}

export interface LiveHubOptions {
  /** null: no event source (the hub accepts sockets but pushes nothing, and `/ready` does not wait for it). */
  source: LiveEventSource | null;
  /** How long a dropped connection keeps its rooms and missed events for a reconnect. */
  recoveryMs: number;
  /** Reads the session of a socket's handshake; omitted: no private rooms at all. */
  sessions?: SessionLookup;
}

/**
 * socket.io on Fastify's own HTTP server (path /socket.io). Pages `watch` the products they show; a
 * socket is put in its session's cart room and (signed in) its user's room from the cookie. Domain
 * events from Kafka are pushed to those rooms.
 *
 * Every instance must see every event, because any instance may hold a product's watchers: the
 * consumer group is per instance (see LIVE_GROUP_ID). With the Redis adapter, one shared group would do.
 */
export const liveHubPlugin = fp<LiveHubOptions>(
  async (app, { source, recoveryMs, sessions = async () => null }) => {
    const io: LiveServer = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(app.server, {
      path: '/socket.io',
      serveClient: false,
      transports: ['websocket', 'polling'],
      // Middlewares run on recovery too: a recovered socket's private rooms are checked against its session again.
      connectionStateRecovery: { maxDisconnectionDuration: recoveryMs, skipMiddlewares: false },
    });
    authenticateSockets(io, sessions, app.log);
    acceptWatchers(io, app.log);
    app.decorate('io', io);
    app.decorate<LiveSessions>('live', {
      async moveSession(oldSid, newSid, data) {
        const wanted = privateRooms(newSid, data);
        const sockets = await io.in(sessionRoom(oldSid)).fetchSockets();
        for (const socket of sockets) {
          const stale = [...socket.rooms].filter((room) => isPrivateRoom(room) && !wanted.includes(room));
          for (const room of stale) socket.leave(room);
          socket.join(wanted);
        }
      },
    });

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
    live: LiveSessions;
  }
}
