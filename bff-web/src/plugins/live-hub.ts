import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyBaseLogger } from 'fastify';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { Server, type Socket } from 'socket.io';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { CloudEvent } from '@shop/contracts/envelope';
import { CartEventTypes, CartUpdated } from '@shop/contracts/events/cart';
import { CatalogEventTypes, PriceChanged } from '@shop/contracts/events/catalog';
import { InventoryEventTypes, StockChanged } from '@shop/contracts/events/inventory';
import { OrderEventTypes, OrderStatusChanged } from '@shop/contracts/events/orders';
import { withDisplayText } from '@shop/contracts/format-price';
import { LiveRooms, type ClientToServerEvents, type ServerToClientEvents } from '@shop/contracts/live';
import { Sku } from '@shop/contracts/money';
import type { LiveEventSource } from '@shop/platform/event-source';
import { explain } from '@shop/platform/explain';
import { createLiveIntake, type LiveIntake, type LiveRoute, liveEventHandler as routeEvents, onEvent } from '@shop/platform/live-intake';
import { guardLiveHandshakes } from '@shop/platform/live-guards';
import { MAX_SKUS_PER_WATCH, watchLimitError } from '@shop/platform/live-limits';
import { socketMetrics } from '@shop/platform/metrics';
import { drainSocketsOnClose } from '@shop/platform/socket-drain';
import { stockStatus } from '@shop/platform/stock-status';
import { sessionHandle } from '../lib/session-store.ts';
import type { SessionData } from '../schemas/session.ts';

/** Per socket: the private rooms its session entitles it to (set at the handshake). */
export interface SocketData {
  privateRooms: string[];
}

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const SkuList = Type.Array(Sku, { maxItems: MAX_SKUS_PER_WATCH });
const isSkuList = Compile(SkuList);

/**
 * Turns a domain event into the browser message for its room: stock and price to the product's room,
 * a cart's change to the cart's room, an order's status to its customer's room. Other types are not pushed;
 * an event that breaks its contract throws InvalidLiveEvent (the consumer dead-letters it).
 */
export function liveEventHandler(io: LiveServer, also: LiveRoute[] = [], pusher: LivePusher = async (_event, push) => push(io)) {
  return routeEvents([
    ...also,
    onEvent(InventoryEventTypes.stockChanged, StockChanged, async (event) => {
      const { sku, available, version } = event.data;
      await pusher(event, (to) => to.to(LiveRooms.product(sku)).emit('stock:changed', { sku, available, status: stockStatus(available), version }));
    }),
    onEvent(CatalogEventTypes.priceChanged, PriceChanged, async (event) => {
      const { sku, price, version } = event.data;
      await pusher(event, (to) => to.to(LiveRooms.product(sku)).emit('price:changed', { sku, price: withDisplayText(price), version }));
    }),
    onEvent(CartEventTypes.updated, CartUpdated, async (event) => {
      const { cartId, itemCount, version } = event.data;
      await pusher(event, (to) => to.to(LiveRooms.cart(cartId)).emit('cart:changed', { cartId, itemCount, version }));
    }),
    onEvent(OrderEventTypes.statusChanged, OrderStatusChanged, async (event) => {
      const { orderId, customerId, status, reason, version } = event.data;
      await pusher(event, (to) => to.to(LiveRooms.user(customerId)).emit('order:status', { orderId, status, version, ...(reason === undefined ? {} : { reason }) }));
    }),
  ]);
}

/**
 * Decides who pushes a consumed event, and calls `push` with where to: `io` (every socket, on every instance,
 * through the adapter) or `io.local` (this instance's sockets only); or does not call it (another instance pushes).
 */
export type LivePusher = (event: CloudEvent, push: (to: Pick<LiveServer, 'to'>) => void) => Promise<void>;

/** How long (ms) sign-in waits for the other instances to name a session's sockets. */
const MOVE_TIMEOUT_MS = 2_000;

/** How long (s) an event's push claim is kept: far longer than instances drift apart in consuming it. */
const PUSH_CLAIM_TTL_S = 3_600;

/** How long (ms) the instances that lost a claim wait for its winner to say it pushed before one of them does. */
export const PUSH_TAKEOVER_MS = 3_000;

/** The claim's value once its event is pushed. */
const PUSHED = 'pushed';

/** Replaces the claim with ARGV[2] only if it is still ARGV[1]: one taker wins when a claimer died. */
const TAKE_OVER = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) return 1 end return 0`;

/**
 * Every instance consumes every event (a consumer group per instance), and with the Redis adapter an
 * `io.to(room).emit` reaches the room's sockets on all instances: N instances each pushing would deliver
 * each change N times. So the first instance to claim the event (`SET NX` on its CloudEvents source and
 * id) pushes it to everyone, through the adapter's stream, where a socket that reconnects to another
 * instance finds what it missed, then marks the claim pushed. The others check after `takeOverAfterMs`:
 * a claim not marked by then belongs to an instance that died between claiming and pushing, and one of
 * them (compare-and-set) pushes in its place, so no change is lost with an instance (a claimer that is
 * merely that slow makes a duplicate: the same change with the same version, which alters nothing on a
 * page). Without Redis for the claim, each instance pushes to its own sockets only, which again reaches
 * every socket once.
 * Returns the pusher and `close()`, which cancels the pending checks (on shutdown).
 */
export function pushOnce(
  io: LiveServer, redis: Redis, prefix: string, log: FastifyBaseLogger, takeOverAfterMs = PUSH_TAKEOVER_MS,
): LivePusher & { close(): void } {
  const checks = new Set<NodeJS.Timeout>();

  async function pushAndMark(key: string, push: (to: Pick<LiveServer, 'to'>) => void) {
    push(io);
    await redis.set(key, PUSHED, 'EX', PUSH_CLAIM_TTL_S).catch((err: unknown) => log.debug({ err, key }, 'push claim not marked'));
  }

  async function takeOverIfUnpushed(key: string, event: CloudEvent, push: (to: Pick<LiveServer, 'to'>) => void) {
    const claim = await redis.get(key);
    if (claim === null || claim === PUSHED) return;
    const won = await redis.eval(TAKE_OVER, 1, key, claim, `claimed:${randomUUID()}`, PUSH_CLAIM_TTL_S);
    if (won !== 1) return;
    log.warn({ eventId: event.id, type: event.type, waitedMs: takeOverAfterMs }, 'the instance that claimed this event never pushed it: pushing in its place');
    await pushAndMark(key, push);
  }

  const pusher: LivePusher = async (event, push) => {
    const key = `${prefix}pushed:${event.source}:${event.id}`;
    let claimed: string | null;
    try {
      claimed = await redis.set(key, `claimed:${randomUUID()}`, 'EX', PUSH_CLAIM_TTL_S, 'NX');
    } catch (err) {
      log.warn({ err, eventId: event.id }, 'push claim failed: pushing to this instance\'s sockets only');
      push(io.local);
      return;
    }
    if (claimed === 'OK') return pushAndMark(key, push);
    const check = setTimeout(() => {
      checks.delete(check);
      takeOverIfUnpushed(key, event, push).catch((err: unknown) => log.warn({ err, eventId: event.id }, 'push claim check failed'));
    }, takeOverAfterMs);
    checks.add(check);
  };
  return Object.assign(pusher, {
    close() {
      for (const check of checks) clearTimeout(check);
      checks.clear();
    },
  });
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

/** A live connection's `Cookie` header, taken from its handshake request when it opened (keyed by engine.io's socket). */
const handshakeCookies = new WeakMap<object, string | undefined>();

/**
 * Memory per idle socket (issue 11's goal: ≤ 12 KB). socket.io keeps each connection's handshake request
 * (an IncomingMessage: headers, raw headers, parsed query, stream state) for the socket's whole life, and
 * engine.io 6.6 holds it once more in its upgrade response until the TCP connection closes. Once a
 * connection is open the hub needs only its cookie (authenticateSockets reads the session from it), so it is
 * taken, socket.io's reference dropped (its docs' "Memory usage" advice; `socket.handshake` then has no
 * headers, url or query), and the request engine.io keeps is emptied of its headers. Runs after the guard's
 * own `connection` listener, which takes the address it counted.
 */
function dropHandshakeRequests(io: LiveServer): void {
  io.engine.on('connection', (conn: { request: IncomingMessage | null }) => {
    const req = conn.request;
    if (!req) return;
    if (req.headers.cookie !== undefined) handshakeCookies.set(conn, req.headers.cookie);
    conn.request = null;
    req.headers = {};
    req.rawHeaders = [];
  });
}

/**
 * Private rooms are joined by the server only, from the session the handshake's cookie names: there is
 * no event a client could use to join a user's or a cart's room. A connection without a session (or
 * whose session cannot be read right now) gets product rooms only.
 */
function authenticateSockets(io: LiveServer, lookup: SessionLookup, log: FastifyBaseLogger): void {
  io.use((socket, next) => {
    // Kept for the connection's life: a client may connect the namespace again on the same connection.
    lookup(handshakeCookies.get(socket.conn))
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

/**
 * `watch` joins product rooms up to `maxWatched` per socket. Checked and joined in one synchronous step
 * (the in-memory adapter joins synchronously), so concurrent `watch` calls cannot pass the limit together.
 * The two listeners are shared by every socket (socket.io calls them with the socket as `this`): no
 * closures per socket (memory per idle socket).
 */
function acceptWatchers(io: LiveServer, log: FastifyBaseLogger, maxWatched: number): void {
  function onWatch(this: LiveSocket, skus: unknown, ack?: unknown): void {
    const answer = typeof ack === 'function' ? (ack as (result: { watching: number } | { error: string }) => void) : () => undefined;
    if (!isSkuList.Check(skus)) {
      answer({ error: `watch takes an array of at most ${MAX_SKUS_PER_WATCH} SKUs: ${explain(isSkuList, skus)}` });
      return;
    }
    const rooms = skus.map(LiveRooms.product);
    const adding = rooms.filter((room) => !this.rooms.has(room)).length;
    const overLimit = watchLimitError(productRooms(this.rooms), adding, maxWatched);
    if (overLimit) {
      answer(overLimit);
      return;
    }
    void this.join(rooms); // the in-memory adapter joins synchronously
    answer({ watching: productRooms(this.rooms) });
  }
  function onUnwatch(this: LiveSocket, skus: unknown): void {
    if (!isSkuList.Check(skus)) {
      log.debug({ socket: this.id, why: explain(isSkuList, skus) }, 'ignored malformed unwatch');
      return;
    }
    for (const sku of skus) void this.leave(LiveRooms.product(sku));
  }
  io.on('connection', (socket) => {
    socket.on('watch', onWatch);
    socket.on('unwatch', onUnwatch);
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
  /** Origins whose pages may connect (the shell's); a request without Origin is not a browser's and is let in. */
  allowedOrigins: string[];
  /** Open sockets per client address (per instance). */
  maxConnectionsPerAddress: number;
  /** Product rooms one socket may be in. */
  maxWatchedPerSocket: number;
  /** Fastify's trust list: whose x-forwarded-for names the client (the shell's proxy). */
  trustProxy: string;
  /** Event types the BFF itself acts on besides pushing (kept categories); types distinct from the pushed ones. */
  routes?: LiveRoute[];
  /**
   * Told of every consumed event before it is routed and pushed (the kept catalog pages drop what it
   * changes, so no page asked after a push comes from before it). Must not throw.
   */
  observe?: (event: CloudEvent) => void;
  /**
   * Several instances: rooms, recovery sessions and missed events are shared over Redis (socket.io's
   * Redis streams adapter, keys and stream under `prefix`), and each event is pushed once (pushOnce).
   * Omitted: one instance, everything in memory.
   */
  shared?: { redis: Redis; prefix: string };
}

/**
 * socket.io on Fastify's own HTTP server (path /socket.io). Pages `watch` the products they show; a
 * socket is put in its session's cart room and (signed in) its user's room from the cookie. Domain
 * events from Kafka are pushed to those rooms.
 *
 * Every instance sees every event (a consumer group per instance, see LIVE_GROUP_ID): the BFF's own
 * routes (kept categories) need each one on each instance, and no push waits for a group to rebalance
 * when an instance dies. With `shared` (several instances), pushOnce makes one of them push each event.
 */
export const liveHubPlugin = fp<LiveHubOptions>(
  async (app, { source, recoveryMs, sessions = async () => null, allowedOrigins, maxConnectionsPerAddress, maxWatchedPerSocket, trustProxy, routes = [], observe, shared }) => {
    const io: LiveServer = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(app.server, {
      ...(shared
        ? {
            adapter: createAdapter(shared.redis, {
              streamName: `${shared.prefix}stream`,
              channelPrefix: `${shared.prefix}channel`,
              sessionKeyPrefix: `${shared.prefix}session:`,
              onlyPlaintext: true, // the hub sends JSON only
              // Under app.redis's command timeout (2 s), which the adapter's reading connections inherit.
              blockTimeInMs: 1_000,
            }),
          }
        : {}),
      path: '/socket.io',
      serveClient: false,
      // WebSocket only: long-polling holds a request per client and needs sticky sessions behind a balancer.
      transports: ['websocket'],
      // Middlewares run on recovery too: a recovered socket's private rooms are checked against its session again.
      connectionStateRecovery: { maxDisconnectionDuration: recoveryMs, skipMiddlewares: false },
    });
    guardLiveHandshakes(io, { allowedOrigins, maxPerAddress: maxConnectionsPerAddress, trustProxy });
    dropHandshakeRequests(io);
    authenticateSockets(io, sessions, app.log);
    acceptWatchers(io, app.log, maxWatchedPerSocket);
    app.decorate('io', io);
    app.decorate<LiveSessions>('live', {
      async moveSession(oldSid, newSid, data) {
        const wanted = privateRooms(newSid, data);
        // Bounded: with the Redis adapter every instance is asked, and one that just died answers nobody.
        const sockets = await io.in(sessionRoom(oldSid)).timeout(MOVE_TIMEOUT_MS).fetchSockets();
        for (const socket of sockets) {
          const stale = [...socket.rooms].filter((room) => isPrivateRoom(room) && !wanted.includes(room));
          for (const room of stale) socket.leave(room);
          socket.join(wanted);
        }
      },
    });

    const logLive = app.log.child({ component: 'live-hub' });
    const pusher = shared ? pushOnce(io, shared.redis, shared.prefix, logLive) : undefined;
    const routed = liveEventHandler(io, routes, pusher);
    const handle = observe ? Object.assign(async (event: CloudEvent) => (observe(event), routed(event)), { accepts: routed.accepts }) : routed;
    const intake = createLiveIntake({ source, handle, log: logLive });
    app.decorate('liveIntake', intake);
    if (source) app.readinessChecks.set('live', intake.check);
    app.health.register('live-intake', intake.health);
    app.addHook('onReady', async () => intake.start());

    socketMetrics(app.metrics, io, ['/']);
    drainSocketsOnClose(app, io, ['/']);
    app.addHook('onClose', async () => {
      await intake.stop();
      pusher?.close();
      await io.close();
    });
  },
  { name: 'live-hub' },
);

declare module 'fastify' {
  interface FastifyInstance {
    io: LiveServer;
    live: LiveSessions;
    /** The hub's Kafka intake; its `state()` is what `/ready` reports as `live`. */
    liveIntake: LiveIntake;
  }
}
