import fp from 'fastify-plugin';
import type { TokenPair, User } from '@shop/contracts/api/identity';
import type { DbClient } from '@shop/platform/db';
import { accessTokenSigner, type AccessTokenSigner } from '../access-tokens.ts';
import { invalidRefreshToken } from '../errors.ts';
import { revokeFamilyOf, rotateRefreshToken, startRefreshFamily } from '../refresh-tokens.ts';
import type { PublicJwk } from '../schemas/jwks.ts';
import { currentSigningKey, publicKeys } from '../signing-keys.ts';

export interface TokensOptions {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export interface Tokens {
  /** Signs access tokens with the current key. */
  signer: AccessTokenSigner;
  /** A first token pair for a fresh sign-in, written inside the caller's transaction. */
  issue(client: DbClient, user: User): Promise<TokenPair>;
  /** The next pair for a refresh token; 401 IDENTITY_INVALID_REFRESH_TOKEN for anything but a live token. */
  refresh(refreshToken: string): Promise<TokenPair>;
  /** Signs out the sign-in `refreshToken` belongs to. */
  revoke(refreshToken: string): Promise<void>;
  publicKeys(): Promise<PublicJwk[]>;
}

/** Loads (or, on the first start, creates) the signing key and decorates the app with `tokens`. Needs the database plugin. */
export const tokensPlugin = fp<TokensOptions>(
  async (app, { accessTokenTtlSeconds, refreshTokenTtlSeconds }) => {
    const signer = accessTokenSigner(await currentSigningKey(app.db), accessTokenTtlSeconds);
    const pair = async (user: User, refreshToken: string): Promise<TokenPair> => ({
      accessToken: await signer.sign(user),
      refreshToken,
      expiresIn: signer.ttlSeconds,
    });

    const tokens: Tokens = {
      signer,
      issue: async (client, user) => pair(user, await startRefreshFamily(client, user.id, refreshTokenTtlSeconds)),
      async refresh(refreshToken) {
        const rotation = await rotateRefreshToken(app.db, refreshToken, refreshTokenTtlSeconds);
        if (rotation.outcome === 'reused') {
          const { userId, familyId } = rotation;
          app.log.warn({ userId, familyId }, 'a spent refresh token came back: revoked its whole sign-in');
        }
        if (rotation.outcome !== 'rotated') throw invalidRefreshToken();
        return pair(rotation.user, rotation.refreshToken);
      },
      revoke: (refreshToken) => revokeFamilyOf(app.db, refreshToken),
      publicKeys: () => publicKeys(app.db, accessTokenTtlSeconds),
    };
    app.decorate('tokens', tokens);
  },
  { name: 'tokens', dependencies: ['database'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    tokens: Tokens;
  }
}
