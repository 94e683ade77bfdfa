import { timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import fp from 'fastify-plugin';
import fastifyCookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenVerifier } from '@shop/platform/auth';
import { HttpError } from '@shop/platform/errors';
import type { App } from '@shop/platform/server';
import type { Session } from '@shop/contracts/api/web';
import { csrfTokenInvalid, sessionUnavailable, signInRequired } from '../errors.ts';
import { sessionAuthenticator, type SessionAuthenticator } from '../lib/session-auth.ts';
import { guestSession, SessionStore } from '../lib/session-store.ts';
import type { SessionData } from '../schemas/session.ts';

export const SESSION_COOKIE = 'sid';

export interface SessionsOptions {
  keyPrefix: string;
  ttlSeconds: number;
  verifier: TokenVerifier;
}

/** The request's session once loaded: its id (the cookie) and what it holds. */
export interface LoadedSession {
  sid: string;
  data: SessionData;
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

/** Redis failures become a clear 503; HttpErrors (401, 403, 503 from identity) pass as they are. */
const orUnavailable = (req: FastifyRequest) => (err: unknown) => {
  if (err instanceof HttpError) throw err;
  req.log.error({ err }, 'session store failed');
  throw sessionUnavailable();
};

/**
 * Attaches sessions to the routes registered in `scope` (all of them under /api that act for a shopper):
 * - onRequest: loads the session named by the `sid` cookie; a state-changing method needs
 *   `x-csrf-token` equal to the session's token (else 403 WEB_CSRF_TOKEN_INVALID);
 * - preValidation: a request without a session gets a new guest session (and cookie); a signed-in
 *   session has its access token verified (refreshed when expired; a guest again when refused).
 */
export function useSessions(scope: App): void {
  scope.addHook('onRequest', async (req) => {
    const sid = req.cookies[SESSION_COOKIE];
    const data = await req.server.sessions.load(sid).catch(orUnavailable(req));
    req.session = sid && data ? { sid, data } : null;
    if (!UNSAFE_METHODS.has(req.method)) return;
    const sent = req.headers['x-csrf-token'];
    if (!req.session || typeof sent !== 'string' || !sameToken(sent, req.session.data.csrfToken)) throw csrfTokenInvalid();
  });
  scope.addHook('preValidation', async (req, reply) => {
    if (!req.session) {
      const data = guestSession();
      const sid = await req.server.sessions.create(data).catch(orUnavailable(req));
      setSessionCookie(req, reply, sid);
      req.session = { sid, data };
      return;
    }
    const { sid, data } = req.session;
    req.session.data = await req.server.sessionAuth.authenticate(sid, data).catch(orUnavailable(req));
  });
}

/** For routes only a signed-in user may use (run after useSessions' hooks): 401 WEB_SIGN_IN_REQUIRED. */
export async function requireUser(req: FastifyRequest): Promise<void> {
  if (!req.session?.data.user) throw signInRequired();
}

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
  async (app, { keyPrefix, ttlSeconds, verifier }) => {
    await app.register(fastifyCookie);
    const store = new SessionStore(app.redis, keyPrefix, ttlSeconds);
    app.decorate('sessions', store);
    app.decorate('sessionAuth', sessionAuthenticator({ store, identity: app.clients.identity, cart: app.clients.cart, verifier, log: app.log }));
    app.decorateRequest('session', null);
  },
  { name: 'sessions', dependencies: ['redis', 'clients'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionStore;
    sessionAuth: SessionAuthenticator;
  }
  interface FastifyRequest {
    session: LoadedSession | null;
  }
}
