import type { FastifyReply, FastifyRequest } from 'fastify';
import { PasswordGrantBody, RegisterBody, type TokenPair } from '@shop/contracts/api/identity';
import { ApiError, FormError } from '@shop/contracts/api/errors';
import { Session } from '@shop/contracts/api/web';
import { userCartId } from '@shop/platform/clients/cart';
import { isOverloaded, isRefusal } from '@shop/platform/clients/downstream';
import type { App } from '@shop/platform/server';
import { emailTaken, identityBusy, signInBackoff, identityUnavailable, invalidCredentials, invalidForm } from '../../errors.ts';
import { formValidatorCompiler } from '../../lib/form-errors.ts';
import { pendingGuestSession, randomToken } from '../../lib/session-store.ts';
import { authAttempts } from '../../plugins/auth-rate-limit.ts';
import { setSessionCookie, toSessionDto } from '../../plugins/sessions.ts';
import type { SessionData, SessionUser } from '../../schemas/session.ts';

const REGISTER_MESSAGES = {
  email: 'Enter a valid email address',
  password: 'Use 8 to 200 characters',
  name: 'Enter your name (up to 100 characters)',
};
const SIGN_IN_MESSAGES = { email: 'Enter a valid email address', password: 'Enter your password' };

/** Identity's answer to a sign-in or registration, in the shopper's terms. */
function identityRefusal(err: unknown): never {
  if (isRefusal(err, 409)) throw emailTaken();
  if (isRefusal(err, 401)) throw invalidCredentials();
  if (isRefusal(err)) throw invalidForm({ form: err.message });
  if (isOverloaded(err)) throw identityBusy(Math.max(1, err.retryAfterS ?? 1));
  throw identityUnavailable();
}

export default async function sessionRoutes(app: App) {
  /**
   * Signs the session in as `user`: merges the guest cart into the user's cart, then moves the
   * session to a new id and a new CSRF token (no session fixation), and the page's sockets to the
   * user's rooms. The cart service being down does not block sign-in: the merge waits in the session.
   */
  async function signIn(req: FastifyRequest, reply: FastifyReply, user: SessionUser, tokens: TokenPair) {
    const old = req.session!;
    const cartId = userCartId(user.id);
    let pendingMerge: string | undefined;
    const guestCart = old.data.cartId.startsWith('guest-') ? old.data.cartId : old.data.pendingMerge;
    if (guestCart) {
      await app.clients.cart.merge(cartId, guestCart).catch((err: unknown) => {
        req.log.warn({ err, cartId }, 'guest cart not merged at sign-in; merging on a later request');
        pendingMerge = guestCart;
      });
    }
    // Someone else signed in on this browser before: their refresh token is of no further use.
    if (old.data.tokens && old.data.user?.id !== user.id) app.clients.identity.revoke(old.data.tokens.refreshToken).catch(() => undefined);

    const data: SessionData = {
      cartId,
      csrfToken: randomToken(),
      user: { id: user.id, email: user.email, name: user.name },
      tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
      ...(pendingMerge ? { pendingMerge } : {}),
    };
    return moveSession(req, reply, data);
  }

  async function moveSession(req: FastifyRequest, reply: FastifyReply, data: SessionData) {
    const old = req.session!;
    const sid = await app.sessions.rotate(old.sid, data);
    setSessionCookie(req, reply, sid);
    req.session = { sid, data, stored: true };
    await app.live.moveSession(old.sid, sid, data).catch((err: unknown) => req.log.warn({ err }, 'sockets not moved to the new session'));
    return toSessionDto(data);
  }

  // The page asks on every load: the cookie's life is renewed with it, in step with the session's in Redis.
  app.get('/session', { schema: { response: { 200: Session, 503: ApiError } } }, async (req, reply) => {
    const { sid, data } = req.session!;
    setSessionCookie(req, reply, sid);
    return toSessionDto(data);
  });

  app.post(
    '/session/register',
    {
      schema: { body: RegisterBody, response: { 201: Session, 400: FormError, 403: ApiError, 409: FormError, 429: ApiError, 503: ApiError } },
      validatorCompiler: formValidatorCompiler(REGISTER_MESSAGES),
      config: authAttempts,
    },
    async (req, reply) => {
      const { user, tokens } = await app.clients.identity.register(req.body).catch(identityRefusal);
      const session = await signIn(req, reply, user, tokens);
      return reply.code(201).send(session);
    },
  );

  app.post(
    '/session/sign-in',
    {
      schema: { body: PasswordGrantBody, response: { 200: Session, 400: FormError, 401: ApiError, 403: ApiError, 429: ApiError, 503: ApiError } },
      validatorCompiler: formValidatorCompiler(SIGN_IN_MESSAGES),
      config: authAttempts,
    },
    async (req, reply) => {
      // Failures only, per account and address: the owner's right password from their address always goes through.
      const { email } = req.body;
      const waitS = await app.signInThrottle.retryAfterS(email, req.ip).catch((err: unknown) => {
        req.log.warn({ err }, 'sign-in throttle unavailable');
        return 0;
      });
      if (waitS > 0) throw signInBackoff(waitS);
      const record = (outcome: 'failed' | 'succeeded') =>
        app.signInThrottle[outcome](email, req.ip).catch((err: unknown) => req.log.warn({ err }, 'sign-in throttle not updated'));
      const tokens = await app.clients.identity.signIn(req.body).catch(async (err: unknown) => {
        if (isRefusal(err, 401)) await record('failed');
        return identityRefusal(err);
      });
      await record('succeeded');
      const claims = await app.sessionAuth.verify(tokens.accessToken);
      if (!claims) throw identityUnavailable(); // identity issued a token it does not stand behind
      return signIn(req, reply, claims, tokens);
    },
  );

  app.post('/session/sign-out', { schema: { response: { 200: Session, 403: ApiError, 503: ApiError } } }, async (req, reply) => {
    const { tokens } = req.session!.data;
    // Best effort: the session forgets the token either way, and it expires on its own.
    if (tokens) await app.clients.identity.revoke(tokens.refreshToken).catch((err: unknown) => req.log.warn({ err }, 'refresh token not revoked'));
    // The guest that follows is stored nowhere until it writes, like any new visitor.
    const old = req.session!;
    const sid = randomToken();
    const data = pendingGuestSession(sid);
    await app.sessions.forget(old.sid);
    setSessionCookie(req, reply, sid);
    req.session = { sid, data, stored: false };
    await app.live.moveSession(old.sid, sid, data).catch((err: unknown) => req.log.warn({ err }, 'sockets not moved to the new session'));
    return toSessionDto(data);
  });
}
