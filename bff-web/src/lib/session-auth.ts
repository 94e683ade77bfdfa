import type { FastifyBaseLogger } from 'fastify';
import { InvalidTokenError, type TokenVerifier } from '@shop/platform/auth';
import type { TokenPair } from '@shop/contracts/api/identity';
import type { CartClient } from '@shop/platform/clients/cart';
import { isRefusal } from '@shop/platform/clients/downstream';
import type { IdentityClient } from '@shop/platform/clients/identity';
import { identityUnavailable } from '../errors.ts';
import type { SessionData, SessionUser } from '../schemas/session.ts';
import { guestSession, RefreshLockTimeout, type SessionStore } from './session-store.ts';

export interface SessionAuthDeps {
  store: SessionStore;
  identity: IdentityClient;
  cart: CartClient;
  verifier: TokenVerifier;
  log: FastifyBaseLogger;
}

/**
 * Checks, for each request acting for a user, that the session's access token is still one identity
 * stands behind:
 * - valid: the session as it is;
 * - expired: refreshed once with the refresh token (the rotated pair is stored); a refresh identity
 *   refuses turns the session into a guest one;
 * - anything else (tampered, wrong issuer, `alg: none`, another user's): the session becomes a guest one;
 * - the key set or identity cannot be reached: 503, and the session is left alone — an outage must
 *   not sign everyone out.
 */
export function sessionAuthenticator({ store, identity, cart, verifier, log }: SessionAuthDeps) {
  // Concurrent requests of one session share one refresh: a refresh token works once.
  const refreshing = new Map<string, Promise<SessionData>>();

  async function toGuest(sid: string, data: SessionData, why: string): Promise<SessionData> {
    log.info({ userId: data.user?.id, why }, 'session falls back to guest');
    if (data.tokens) identity.revoke(data.tokens.refreshToken).catch(() => undefined); // best effort: it is no longer used
    const guest = guestSession(data.csrfToken);
    await store.save(sid, guest);
    return guest;
  }

  /** The user a token names; null if the token is refused. */
  async function verify(token: string): Promise<SessionUser | null> {
    try {
      const claims = await verifier.verify(token);
      return { id: claims.userId, email: claims.email, name: claims.name };
    } catch (err) {
      if (err instanceof InvalidTokenError) return null;
      throw identityUnavailable(); // the key set could not be fetched: no verdict on the token
    }
  }

  /** The user a token names, if it is this session's user. */
  const verifiedUser = async (token: string, userId: string) => {
    const user = await verify(token);
    return user?.id === userId ? user : null;
  };

  /**
   * One refresh per session across every instance: under the session's lock in Redis, so a request on
   * another instance waits for it and then finds (and uses) the rotated tokens instead of spending the
   * old refresh token a second time.
   */
  async function refresh(sid: string, data: SessionData): Promise<SessionData> {
    try {
      return await store.withRefreshLock(sid, () => refreshHoldingLock(sid, data));
    } catch (err) {
      if (err instanceof RefreshLockTimeout) throw identityUnavailable();
      throw err;
    }
  }

  async function refreshHoldingLock(sid: string, data: SessionData): Promise<SessionData> {
    const user = data.user!;
    // Another request (maybe on another instance) may have refreshed meanwhile: then use its tokens.
    const current = await store.load(sid);
    if (current?.tokens && current.user?.id === user.id && current.tokens.refreshToken !== data.tokens!.refreshToken) {
      if (await verifiedUser(current.tokens.accessToken, user.id)) return current;
    }
    let pair: TokenPair;
    try {
      pair = await identity.refresh(data.tokens!.refreshToken);
    } catch (err) {
      if (isRefusal(err)) return toGuest(sid, data, `refresh refused: ${err.message}`);
      throw identityUnavailable();
    }
    // Stored before it is checked: the old refresh token is spent now, and should the key set be
    // unreachable for the check, the next request must still hold the new one.
    const stored: SessionData = { ...data, tokens: { accessToken: pair.accessToken, refreshToken: pair.refreshToken } };
    await store.save(sid, stored);
    const refreshed = await verifiedUser(pair.accessToken, user.id);
    if (!refreshed) return toGuest(sid, stored, 'the refreshed access token was refused');
    const next: SessionData = { ...stored, user: refreshed };
    if (refreshed.email !== user.email || refreshed.name !== user.name) await store.save(sid, next);
    return next;
  }

  /** A guest cart left over from a sign-in while the cart service was down: merged as soon as it answers. */
  async function finishMerge(sid: string, data: SessionData): Promise<SessionData> {
    if (!data.pendingMerge || !data.user) return data;
    try {
      await cart.merge(data.cartId, data.pendingMerge);
    } catch (err) {
      log.warn({ err, cartId: data.cartId }, 'guest cart still not merged');
      return data;
    }
    const { pendingMerge: _merged, ...rest } = data;
    await store.save(sid, rest);
    return rest;
  }

  return {
    verify,

    /** The session as it may act: signed in with a valid token, or a guest. */
    async authenticate(sid: string, data: SessionData): Promise<SessionData> {
      if (!data.user && !data.tokens) return data;
      if (!data.user || !data.tokens) return toGuest(sid, data, 'incomplete sign-in');
      let verdict: SessionData;
      try {
        await verifier.verify(data.tokens.accessToken).then((claims) => {
          if (claims.userId !== data.user!.id) throw new InvalidTokenError('claims', 'the token names another user');
        });
        verdict = data;
      } catch (err) {
        if (!(err instanceof InvalidTokenError)) throw identityUnavailable();
        if (err.reason !== 'expired') return toGuest(sid, data, err.message);
        let pending = refreshing.get(sid);
        if (!pending) {
          pending = refresh(sid, data).finally(() => refreshing.delete(sid));
          refreshing.set(sid, pending);
        }
        verdict = await pending;
      }
      return finishMerge(sid, verdict);
    },
  };
}

export type SessionAuthenticator = ReturnType<typeof sessionAuthenticator>;
