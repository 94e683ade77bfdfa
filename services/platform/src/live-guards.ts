import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import { Type } from 'typebox';

/**
 * What a live hub admits before a socket exists (engine.io's `allowRequest`): a browser page only from an
 * allowed origin (cross-site WebSocket hijacking: a browser sends cookies with any site's WebSocket, and
 * `Origin` is the one thing that tells the shop's own page apart), and at most `maxPerAddress` connections
 * per client address, so one client cannot hold a hub's memory and file descriptors. A request without
 * `Origin` is not a browser's (browsers always send it on a WebSocket) and is not refused for it.
 */
export interface LiveGuardOptions {
  /** Exact origins (`scheme://host[:port]`) whose pages may connect; empty: no browser page may. */
  allowedOrigins: string[];
  maxPerAddress: number;
  /** proxy-addr trust list (Fastify's `trustProxy`), naming the proxies whose x-forwarded-for is believed. */
  trustProxy?: string | boolean;
}

/** The parts of a socket.io `Server` the guard uses (structural, so platform need not depend on socket.io). */
export interface GuardableSocketServer {
  engine: {
    opts: { allowRequest?(req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void };
    on(event: 'connection', listener: (conn: { request: IncomingMessage; once(event: 'close', listener: () => void): unknown }) => void): unknown;
    on(event: 'connection_error', listener: (err: { req?: IncomingMessage }) => void): unknown;
  };
}

/** Live hub variables with their defaults, for a BFF's config schema. */
export const LiveGuardConfig = {
  /** Comma-separated origins whose pages may open a live socket (bff-web: the shell's; `npm start` sets it from SHELL_PORT). */
  LIVE_ALLOWED_ORIGINS: Type.String({ default: 'http://localhost:3000,http://127.0.0.1:3000' }),
  /** Live sockets one client address may hold open at once on one instance. */
  LIVE_MAX_CONNECTIONS_PER_ADDRESS: Type.Integer({ default: 20, minimum: 1 }),
  /** Products one socket may watch at once. */
  LIVE_MAX_WATCHED_PER_SOCKET: Type.Integer({ default: 100, minimum: 1, maximum: 10_000 }),
};

/** `LIVE_ALLOWED_ORIGINS` as a list. */
export const originList = (value: string) =>
  value
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);

/**
 * Installs the guard as the engine's `allowRequest` and counts connections per address (reserved when a
 * request is admitted, so concurrent handshakes cannot pass the cap together; released when the
 * connection closes or its handshake fails). Returns the live count per address, for tests and metrics.
 *
 * A reservation is kept beside the request (a WeakMap), not on it: a property added to an IncomingMessage
 * turns it into a slow dictionary-mode object (~1.5 KB more per socket, for the socket's life), and the
 * connection's address is taken when it opens, so a hub may drop its reference to the request after that.
 */
export function guardLiveHandshakes(io: GuardableSocketServer, { allowedOrigins, maxPerAddress, trustProxy = false }: LiveGuardOptions) {
  const allowed = new Set(allowedOrigins);
  const trust = typeof trustProxy === 'boolean' ? () => trustProxy : proxyAddr.compile(trustProxy.split(',').map((s) => s.trim()));
  const open = new Map<string, number>();
  const reserved = new WeakMap<IncomingMessage, string>();
  /** The address `req` reserved a connection for, no longer reserved by it (its release is now the caller's). */
  const takeReservation = (req: IncomingMessage) => {
    const address = reserved.get(req);
    reserved.delete(req);
    return address;
  };
  const release = (address: string | undefined) => {
    if (address === undefined) return;
    const n = (open.get(address) ?? 1) - 1;
    if (n <= 0) open.delete(address);
    else open.set(address, n);
  };

  io.engine.opts.allowRequest = (req, callback) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !allowed.has(origin)) return callback(`origin ${origin} may not connect`, false);
    const address = proxyAddr(req, trust);
    const n = open.get(address) ?? 0;
    if (n >= maxPerAddress) return callback(`at most ${maxPerAddress} live connections per address`, false);
    open.set(address, n + 1);
    reserved.set(req, address);
    callback(null, true);
  };
  io.engine.on('connection', (conn) => {
    const address = takeReservation(conn.request);
    conn.once('close', () => release(address));
  });
  io.engine.on('connection_error', (err) => {
    if (err.req) release(takeReservation(err.req));
  });
  return { connectionsFrom: (address: string) => open.get(address) ?? 0 };
}
