import { PasswordGrantBody, RefreshBody, TokenPair } from '@shop/contracts/api/identity';
import { ApiError } from '@shop/contracts/api/errors';
import { withTransaction } from '@shop/platform/db';
import type { App } from '@shop/platform/server';
import { Type } from 'typebox';
import { invalidCredentials } from '../../errors.ts';
import { verifyAgainstNothing, verifyPassword } from '../../passwords.ts';
import { findCredentials } from '../../users-repository.ts';
import { PasswordWorkBusyError, sendBusy } from '../../plugins/password-work.ts';

export default async function tokenRoutes(app: App) {
  // Sign-in. An unknown email costs the same scrypt work as a wrong password and gets the same answer.
  app.post(
    '/tokens',
    { schema: { body: PasswordGrantBody, response: { 200: TokenPair, 400: ApiError, 401: ApiError, 503: ApiError } } },
    async (req, reply) => {
      const found = await findCredentials(app.db, req.body.email);
      let valid: boolean;
      try {
        valid = await app.passwordWork.run(() =>
          found ? verifyPassword(req.body.password, found.passwordHash) : verifyAgainstNothing(req.body.password),
        );
      } catch (err) {
        if (err instanceof PasswordWorkBusyError) return sendBusy(reply, err);
        throw err;
      }
      if (!found || !valid) throw invalidCredentials();
      return withTransaction(app.db, (client) => app.tokens.issue(client, found.user));
    },
  );

  app.post(
    '/tokens/refresh',
    { schema: { body: RefreshBody, response: { 200: TokenPair, 400: ApiError, 401: ApiError } } },
    async (req) => app.tokens.refresh(req.body.refreshToken),
  );

  // Sign-out. An unknown token is not an error: the caller wants it not to work, and it does not.
  app.post(
    '/tokens/revoke',
    { schema: { body: RefreshBody, response: { 204: Type.Null(), 400: ApiError } } },
    async (req, reply) => {
      await app.tokens.revoke(req.body.refreshToken);
      return reply.code(204).send(null);
    },
  );
}
