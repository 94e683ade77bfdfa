import { io, type Socket } from 'socket.io-client';
import type {
  CartUpdate,
  ClientToServerEvents,
  OrderStatusUpdate,
  PriceUpdate,
  ServerToClientEvents,
  StockUpdate,
} from '@shop/contracts/live';

export type { CartUpdate, OrderStatusUpdate, PriceUpdate, StockUpdate } from '@shop/contracts/live';

/** The page's socket to bff-web's live hub, typed with the contract's events. */
export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type Listener<T> = (value: T) => void;
export type Unsubscribe = () => void;

/**
 * React-free handle on the page's one socket. Fragments wrap it in their own hooks.
 * The socket is opened on first use, so a page that shows nothing live opens none. It reconnects
 * after any disconnect, the server's included, rejoins its rooms and then calls `onResync` listeners.
 */
export interface LiveClient {
  /**
   * Join the rooms of these products; counted per sku, so two tiles of one sku need two releases.
   * `onWatching` runs once the hub has them in its rooms (every change from then on reaches this page):
   * the moment to refetch data fetched before, such as the page's server-rendered first screen.
   */
  watch(skus: readonly string[], onWatching?: () => void): Unsubscribe;
  onStockChanged(listener: Listener<StockUpdate>): Unsubscribe;
  onPriceChanged(listener: Listener<PriceUpdate>): Unsubscribe;
  /** The shopper's cart changed (any tab, any device); the server picks the room from the session cookie. */
  onCartChanged(listener: Listener<CartUpdate>): Unsubscribe;
  /** One of the signed-in shopper's orders moved on. */
  onOrderStatus(listener: Listener<OrderStatusUpdate>): Unsubscribe;
  /** After a reconnection that could not replay what was missed: refetch a fresh snapshot. */
  onResync(listener: () => void): Unsubscribe;
  /** Skus currently watched, for diagnostics and tests. */
  watched(): string[];
  /**
   * Opens a fresh socket after sign-in or sign-out: the server chooses the cart and user rooms from
   * the session cookie at the handshake, so the old socket would stay in the old shopper's rooms.
   * Watches and listeners carry over; listeners of `onResync` run once it connects (events sent
   * in between are lost).
   */
  reconnect(): void;
  close(): void;
}

export interface LiveClientOptions {
  /** Origin of the live hub; omitted means the page's own origin (the shell proxies /socket.io). */
  url?: string;
  path?: string;
}

/** The hub accepts at most this many skus per `watch` call. */
export const MAX_SKUS_PER_WATCH = 100;

/** Backoff of the reconnects socket.io leaves to us: first step, ceiling (ms). */
export const RECONNECT_BASE_MS = 250;
export const RECONNECT_MAX_MS = 10_000;
/** A connection that lasted this long (ms) counts as healthy: the next disconnect starts the backoff over. */
export const RECONNECT_STABLE_MS = 5_000;

/**
 * Delay (ms) before reconnect attempt `attempt` (0-based): exponential from RECONNECT_BASE_MS up to
 * RECONNECT_MAX_MS, with "full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter") so the
 * pages a restarted server dropped do not all come back at once. `random` is in [0, 1).
 */
export function reconnectDelayMs(attempt: number, random: number = Math.random()): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random / 2));
}

/** The longest (ms) a new socket waits for the browser to be idle before it connects anyway. */
export const OPEN_WHEN_IDLE_WITHIN_MS = 1_000;

/** A socket.io socket to the hub (`options.url`, else the page's origin), not connected yet: the live client connects it. */
export function createSocket(options: LiveClientOptions = {}): LiveSocket {
  const socketOptions = { path: options.path ?? '/socket.io', transports: ['websocket'], autoConnect: false };
  return options.url ? io(options.url, socketOptions) : io(socketOptions);
}

/** Runs `task` in a task of its own once the browser is idle (at most OPEN_WHEN_IDLE_WITHIN_MS later); without requestIdleCallback (Safari, Node), in the next task. */
function whenIdle(task: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: OPEN_WHEN_IDLE_WITHIN_MS });
  else setTimeout(task, 0);
}

function chunks(items: string[], size: number): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Creates a live client over sockets from `openSocket` (the page's own origin by default); tests pass
 * a fake. A socket not connected yet is connected once the browser is idle (see `ensureSocket`). Never
 * throws; refused watches are logged.
 */
export function createLiveClient(openSocket: () => LiveSocket = () => createSocket()): LiveClient {
  let socket: LiveSocket | undefined;
  let connectedBefore = false;
  let attempts = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let stableTimer: ReturnType<typeof setTimeout> | undefined;
  const counts = new Map<string, number>();
  const stockListeners = new Set<Listener<StockUpdate>>();
  const priceListeners = new Set<Listener<PriceUpdate>>();
  const cartListeners = new Set<Listener<CartUpdate>>();
  const orderListeners = new Set<Listener<OrderStatusUpdate>>();
  const resyncListeners = new Set<() => void>();

  // Callers of watch() waiting for the hub to have their skus, run after the next acknowledged watch.
  const awaitingWatch = new Set<() => void>();

  /** Sends `skus` (chunked); for a watch, runs `acknowledged` once the hub answered every chunk. */
  function send(event: 'watch' | 'unwatch', skus: string[], acknowledged?: () => void): void {
    // While disconnected nothing is sent: the full set is re-sent on (re)connect.
    if (!socket?.connected || skus.length === 0) return;
    const parts = chunks(skus, MAX_SKUS_PER_WATCH);
    let answered = 0;
    for (const part of parts) {
      if (event === 'unwatch') socket.emit('unwatch', part);
      else
        socket.emit('watch', part, (result) => {
          if ('error' in result) console.warn(`live-client: watch refused: ${result.error}`);
          answered += 1;
          if (answered === parts.length) acknowledged?.();
        });
    }
  }

  /**
   * What to run once the watch about to be sent is acknowledged: the callers waiting by then. The hub
   * answers a socket's messages in order, so their own earlier watches have been handled too.
   */
  function waitingNow(): () => void {
    const waiting = [...awaitingWatch];
    return () => {
      for (const callback of waiting) callback();
    };
  }

  function stopTimers(): void {
    clearTimeout(retryTimer);
    clearTimeout(stableTimer);
    retryTimer = stableTimer = undefined;
  }

  // socket.io retries a lost transport by itself, but not a disconnect the server started (a deploy,
  // a graceful restart) nor a handshake a middleware refused: then `active` is false and we retry.
  function retryLater(s: LiveSocket): void {
    if (s.active || retryTimer) return;
    const delay = reconnectDelayMs(attempts);
    attempts += 1;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (socket === s && !s.connected) s.connect();
    }, delay);
  }

  function ensureSocket(): LiveSocket {
    if (socket) return socket;
    const s = openSocket();
    socket = s;
    // A socket replaced by reconnect() may still fire while it closes; only the current one counts.
    const current = () => socket === s;
    s.on('connect', () => {
      if (!current()) return;
      // A first connect needs no refetch: the page's data was just fetched. A later one without
      // state recovery lost events (and its rooms), so pages refetch and every watch is re-sent.
      const lostEvents = connectedBefore && !s.recovered;
      connectedBefore = true;
      // Reset the backoff only once the connection holds, so a server that drops us at once is not hammered.
      clearTimeout(stableTimer);
      stableTimer = setTimeout(() => (attempts = 0), RECONNECT_STABLE_MS);
      send('watch', [...counts.keys()], waitingNow());
      if (lostEvents) for (const listener of [...resyncListeners]) listener();
    });
    s.on('disconnect', (reason) => {
      if (!current()) return;
      clearTimeout(stableTimer);
      if (reason !== 'io client disconnect') retryLater(s);
    });
    s.on('connect_error', () => {
      if (current()) retryLater(s);
    });
    const forward =
      <T>(listeners: Set<Listener<T>>) =>
      (update: T) => {
        if (current()) for (const listener of [...listeners]) listener(update);
      };
    s.on('stock:changed', forward(stockListeners));
    s.on('price:changed', forward(priceListeners));
    s.on('cart:changed', forward(cartListeners));
    s.on('order:status', forward(orderListeners));
    // Connecting costs tens of ms of script on a phone, and the first use comes while the page hydrates:
    // it waits for an idle moment. Nothing is missed meanwhile, as watches go out on connect. A socket
    // replaced or closed by then stays closed.
    if (!s.active)
      whenIdle(() => {
        if (current() && !s.active) s.connect();
      });
    return s;
  }

  function subscribe<T>(set: Set<T>, listener: T): Unsubscribe {
    ensureSocket();
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  return {
    watch(skus, onWatching) {
      const s = ensureSocket();
      const unique = [...new Set(skus)];
      const added: string[] = [];
      for (const sku of unique) {
        const n = counts.get(sku) ?? 0;
        counts.set(sku, n + 1);
        if (n === 0) added.push(sku);
      }
      let released = false;
      const waiting = () => {
        awaitingWatch.delete(waiting);
        if (!released) onWatching?.();
      };
      // After this watch's answer (skus watched already are asked again, which changes nothing on the hub,
      // for an answer of their own); while disconnected, after the watch sent on connecting.
      if (onWatching) awaitingWatch.add(waiting);
      send('watch', onWatching && added.length === 0 ? unique : added, waitingNow());
      return () => {
        if (released) return;
        released = true;
        awaitingWatch.delete(waiting);
        const removed: string[] = [];
        for (const sku of unique) {
          const n = counts.get(sku) ?? 0;
          if (n <= 1) {
            counts.delete(sku);
            removed.push(sku);
          } else counts.set(sku, n - 1);
        }
        send('unwatch', removed);
      };
    },
    onStockChanged: (listener) => subscribe(stockListeners, listener),
    onPriceChanged: (listener) => subscribe(priceListeners, listener),
    onCartChanged: (listener) => subscribe(cartListeners, listener),
    onOrderStatus: (listener) => subscribe(orderListeners, listener),
    onResync: (listener) => subscribe(resyncListeners, listener),
    watched: () => [...counts.keys()],
    reconnect() {
      // No socket yet: the first use will open one with whatever cookie the page has by then.
      if (!socket) return;
      const old = socket;
      socket = undefined;
      stopTimers();
      attempts = 0;
      old.close();
      ensureSocket();
    },
    close() {
      stopTimers();
      socket?.close();
      socket = undefined;
      attempts = 0;
      connectedBefore = false;
      counts.clear();
      stockListeners.clear();
      priceListeners.clear();
      cartListeners.clear();
      orderListeners.clear();
      resyncListeners.clear();
    },
  };
}

// Kept on globalThis as well as in module scope: even if two copies of this module ever load
// (a fragment run outside the shell, a federation share mismatch) the page still opens one socket.
const GLOBAL_KEY = Symbol.for('@shop/live-client');
type GlobalWithClient = typeof globalThis & { [GLOBAL_KEY]?: LiveClient };

/** The page's one live client (created on first call, socket opened on first use). */
export function getLiveClient(): LiveClient {
  const g = globalThis as GlobalWithClient;
  g[GLOBAL_KEY] ??= createLiveClient();
  return g[GLOBAL_KEY];
}
