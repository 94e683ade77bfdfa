import { isRefusal } from '@shop/platform/clients/downstream';
import type { App } from '@shop/platform/server';
import { MobileError, validationFailed } from '../../errors.ts';
import type { FastifyRequest } from 'fastify';
import type { SignInThrottle } from '@shop/platform/sign-in-throttle';
import { authRateLimit, credentialRateLimit } from '../../plugins/rate-limits.ts';
import { RefreshRequest, RegisterRequest, TokenRequest, Tokens } from '../../schemas/auth.ts';
import { problems } from '../../schemas/problem.ts';
import { ref } from '../../schemas/shared.ts';

/** Identity's refusals in the app's terms; anything else (identity down) goes on to the error handler. */
function fromIdentity(err: unknown): never {
  if (isRefusal(err)) {
    if (err.code === 'IDENTITY_EMAIL_TAKEN' || err.status === 409) {
      throw new MobileError('MOBILE_EMAIL_TAKEN', 'An account with this email already exists; sign in instead');
    }
    if (err.code === 'IDENTITY_INVALID_REFRESH_TOKEN') throw new MobileError('MOBILE_INVALID_REFRESH_TOKEN', 'Sign in again to get new tokens');
    if (err.status === 401) throw new MobileError('MOBILE_INVALID_CREDENTIALS', 'Email or password is wrong');
    if (err.status === 400) throw validationFailed([{ pointer: '#', detail: err.message }]);
  }
  throw err;
}

export default async function authRoutes(app: App, { max, windowMs, throttle }: { max: number; windowMs: number; throttle: SignInThrottle }) {
  const rateLimit = authRateLimit(max, windowMs);
  const account = (req: FastifyRequest) => String((req.body as { email?: string }).email ?? '');
  // Failures only, per account and address: a correct password from another address is never held back.
  // Should the counters' store fail, sign-in goes on (the per-address attempt limit still stands).
  const perAccount = async (req: FastifyRequest) => {
    const waitS = await throttle.retryAfterS(account(req), req.ip).catch((err: unknown) => {
      req.log.warn({ err }, 'sign-in throttle unavailable');
      return 0;
    });
    if (waitS > 0) {
      throw new MobileError('MOBILE_RATE_LIMITED', `Too many failed sign-ins for this account from your address; try again in ${waitS} s`, { retryAfterS: waitS });
    }
  };
  const record = (req: FastifyRequest, outcome: 'failed' | 'succeeded') =>
    throttle[outcome](account(req), req.ip).catch((err: unknown) => req.log.warn({ err }, 'sign-in throttle not updated'));
  const perRefreshToken = credentialRateLimit(app, max, windowMs, (req) => String((req.body as { refreshToken?: string }).refreshToken ?? ''));

  app.post(
    '/auth/register',
    {
      config: { rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Create an account; answers its first tokens',
        body: RegisterRequest,
        response: { 201: ref(Tokens, 'the account exists; its first tokens'), ...problems({ 400: 'invalid fields', 409: 'the email has an account already' }) },
      },
    },
    async (req, reply) => {
      const registered = await app.clients.identity.register(req.body).catch(fromIdentity);
      return reply.code(201).send(registered.tokens);
    },
  );

  app.post(
    '/auth/token',
    {
      config: { rateLimit },
      preHandler: perAccount,
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        body: TokenRequest,
        response: { 200: ref(Tokens, 'signed in'), ...problems({ 400: 'invalid fields', 401: 'wrong email or password' }) },
      },
    },
    async (req) => {
      const tokens = await app.clients.identity.signIn(req.body).catch(async (err: unknown) => {
        if (isRefusal(err, 401)) await record(req, 'failed');
        return fromIdentity(err);
      });
      await record(req, 'succeeded');
      return tokens;
    },
  );

  app.post(
    '/auth/refresh',
    {
      config: { rateLimit },
      preHandler: perRefreshToken,
      schema: {
        tags: ['auth'],
        summary: 'Trade a refresh token (single use) for new tokens',
        body: RefreshRequest,
        response: { 200: ref(Tokens, 'new tokens; the refresh token sent is used up'), ...problems({ 400: 'invalid fields', 401: 'unknown, expired or used refresh token' }) },
      },
    },
    (req) => app.clients.identity.refresh(req.body.refreshToken).catch(fromIdentity),
  );
}
