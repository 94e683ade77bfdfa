import { timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import fp from 'fastify-plugin';
import fastifyCookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenVerifier } from '@shop/platform/auth';
import { HttpError } from '@shop/platform/errors';
import type { App } from '@shop/platform/server';
import type { Session } from '@shop/contracts/api/web';
import { csrfTokenInvalid, sessionUnavailable, signInRequired, tooManySessions } from '../errors.ts';
import { sessionAuthenticator, type SessionAuthenticator } from '../lib/session-auth.ts';
import { pendingGuestSession, randomToken, SessionStore } from '../lib/session-store.ts';
import { SID_PATTERN, type SessionData } from '../schemas/session.ts';

export const SESSION_COOKIE = 'sid';

export interface SessionsOptions {
  keyPrefix: string;
  /** Life of a signed-in session or a guest's with something in the cart, after its last use (s). */
  ttlSeconds: number;
  /** Life of a guest session whose cart is empty, after its last use (s). */
  emptyGuestTtlSeconds: number;
  /** Guest sessions one client address may have stored per `createWindowSeconds` (their first writes). */
  createPerAddress: number;
  createWindowSeconds: number;
  verifier: TokenVerifier;
}

/** The request's session once loaded: its id (the cookie), what it holds, and whether it is stored yet. */
export interface LoadedSession {
  sid: string;
  data: SessionData;
  /** false for a guest that has only read so far: nothing of it is in Redis (see pendingGuestSession). */
  stored: boolean;
}

export const toSessionDto = (data: SessionData): Session => ({ user: data.user, cartId: data.cartId, csrfToken: data.csrfToken });

/**
 * The proxy in front (the shell) says how the browser reached it. Only ever used to make the cookie
 * stricter, so a client lying about it gains nothing.
 */
const overTls = (req: FastifyRequest) =>
  (req.raw.socket as TLSSocket).encrypted === true ||
  String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim().toLowerCase() === 'https';

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, sid: string): void {
  reply.setCookie(SESSION_COOKIE, sid, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: overTls(req),
    maxAge: req.server.sessions.ttlSeconds, // a guest cart outlives a browser restart
  });
}

const sameToken = (sent: string, expected: string) => {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Redis failures become a clear 503; HttpErrors (401, 403, 429, 503 from identity) pass as they are. */
const orUnavailable = (req: FastifyRequest) => (err: unknown) => {
  if (err instanceof HttpError) throw err;
  req.log.error({ err }, 'session store failed');
  throw sessionUnavailable();
};

/** The session a `sid` cookie names: the stored one, else (a well-formed id) the guest it stands for; null without one. */
async function sessionOf(store: SessionStore, sid: string | undefined): Promise<LoadedSession | null> {
  const data = await store.load(sid);
  if (sid && data) return { sid, data, stored: true };
  if (sid && SID_PATTERN.test(sid)) return { sid, data: pendingGuestSession(sid), stored: false };
  return null;
}

/**
 * Attaches sessions to the routes registered in `scope` (all of them under /api that act for a shopper):
 * - onRequest: loads the session named by the `sid` cookie; a state-changing method needs
 *   `x-csrf-token` equal to the session's token (else 403 WEB_CSRF_TOKEN_INVALID);
 * - preValidation: a request without a session gets a new guest session and its cookie, stored nowhere
 *   yet; a guest's first state-changing request stores it (at most `createPerAddress` per address and
 *   window, else 429 WEB_TOO_MANY_SESSIONS); a signed-in session has its access token verified
 *   (refreshed when expired; a guest again when refused).
 * Needs the rate-limit plugin registered (app.createRateLimit) before the first request.
 */
export function useSessions(scope: App): void {
  let creations: ReturnType<App['createRateLimit']> | undefined;
  const admitCreation = async (req: FastifyRequest, reply: FastifyReply) => {
    const { createPerAddress, createWindowSeconds } = req.server.sessionCreation;
    creations ??= req.server.createRateLimit({
      max: createPerAddress,
      timeWindow: createWindowSeconds * 1000,
      keyGenerator: (r) => `new-session:${r.ip}`,
    });
    const verdict = await creations(req);
    if (verdict.isAllowed || !verdict.isExceeded) return;
    const retryAfterS = Math.max(1, verdict.ttlInSeconds);
    reply.header('retry-after', String(retryAfterS));
    throw tooManySessions(retryAfterS);
  };

  scope.addHook('onRequest', async (req) => {
    req.session = await sessionOf(req.server.sessions, req.cookies[SESSION_COOKIE]).catch(orUnavailable(req));
    if (!UNSAFE_METHODS.has(req.method)) return;
    const sent = req.headers['x-csrf-token'];
    if (!req.session || typeof sent !== 'string' || !sameToken(sent, req.session.data.csrfToken)) throw csrfTokenInvalid();
  });
  scope.addHook('preValidation', async (req, reply) => {
    if (!req.session) {
      const sid = randomToken();
      setSessionCookie(req, reply, sid);
      req.session = { sid, data: pendingGuestSession(sid), stored: false };
      return;
    }
    if (!req.session.stored) {
      if (!UNSAFE_METHODS.has(req.method)) return; // a read: nothing to store, nobody to authenticate
      const { sid, data } = req.session;
      await admitCreation(req, reply);
      const created = await req.server.sessions.create(sid, data).catch(orUnavailable(req));
      // Another request of this browser stored it first: use what it stored.
      const current = created ? data : ((await req.server.sessions.load(sid).catch(orUnavailable(req))) ?? data);
      req.session = { sid, data: current, stored: true };
    }
    const { sid, data } = req.session;
    req.session.data = await req.server.sessionAuth.authenticate(sid, data).catch(orUnavailable(req));
  });
}

/** For routes only a signed-in user may use (run after useSessions' hooks): 401 WEB_SIGN_IN_REQUIRED. */
export async function requireUser(req: FastifyRequest): Promise<void> {
  if (!req.session?.data.user) throw signInRequired();
}

/** The session as read by a socket's handshake cookie: stored, or the guest a well-formed id stands for. */
export const socketSessionOf = sessionOf;

/** The session's user; only call behind requireUser. */
export function sessionUser(req: FastifyRequest): NonNullable<SessionData['user']> {
  const user = req.session?.data.user;
  if (!user) throw signInRequired();
  return user;
}

/**
 * `app.sessions` (the Redis store), `app.sessionAuth` (token checks), cookie parsing, and `req.session`.
 * Needs `app.redis`, `app.clients.identity` and `app.clients.cart` (register them first).
 */
export const sessionsPlugin = fp<SessionsOptions>(
  async (app, { keyPrefix, ttlSeconds, emptyGuestTtlSeconds, createPerAddress, createWindowSeconds, verifier }) => {
    await app.register(fastifyCookie);
    const store = new SessionStore(app.redis, keyPrefix, ttlSeconds, emptyGuestTtlSeconds);
    app.decorate('sessions', store);
    app.decorate('sessionCreation', { createPerAddress, createWindowSeconds });
    app.decorate('sessionAuth', sessionAuthenticator({ store, identity: app.clients.identity, cart: app.clients.cart, verifier, log: app.log }));
    app.decorateRequest('session', null);
  },
  { name: 'sessions', dependencies: ['redis', 'clients'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionStore;
    /** The per-address limit on storing new guest sessions. */
    sessionCreation: { createPerAddress: number; createWindowSeconds: number };
    sessionAuth: SessionAuthenticator;
  }
  interface FastifyRequest {
    session: LoadedSession | null;
  }
}
