import { randomUUID } from 'node:crypto';
import { RegisterBody, Registered, User } from '@shop/contracts/api/identity';
import { ApiError } from '@shop/contracts/api/errors';
import { withTransaction } from '@shop/platform/db';
import type { App } from '@shop/platform/server';
import { emailTaken, userNotFound } from '../../errors.ts';
import { userRegistered } from '../../events/publish.ts';
import { hashPassword } from '../../passwords.ts';
import { PasswordWorkBusyError, sendBusy } from '../../plugins/password-work.ts';
import { UserParams } from '../../schemas/users.ts';
import { findUser, insertUser } from '../../users-repository.ts';

export default async function userRoutes(app: App, { topic }: { topic: string }) {
  app.post(
    '/users',
    { schema: { body: RegisterBody, response: { 201: Registered, 400: ApiError, 409: ApiError, 503: ApiError } } },
    async (req, reply) => {
      const { email, name, password } = req.body;
      // The slow part outside the transaction, within the bound on hashing (else a quick 503).
      let passwordHash: string;
      try {
        passwordHash = await app.passwordWork.run(() => hashPassword(password));
      } catch (err) {
        if (err instanceof PasswordWorkBusyError) return sendBusy(reply, err);
        throw err;
      }
      // The user, their first sign-in and the event commit together, or none of them does.
      const registered = await withTransaction(app.db, async (client) => {
        const user = await insertUser(client, { id: randomUUID(), email, name, passwordHash });
        if (!user) throw emailTaken();
        await userRegistered(client, topic, user);
        return { user, tokens: await app.tokens.issue(client, user) };
      });
      return reply.code(201).send(registered);
    },
  );

  // For operators and BFFs inside the network; no password or hash ever leaves.
  app.get('/users/:id', { schema: { params: UserParams, response: { 200: User, 400: ApiError, 404: ApiError } } }, async (req) => {
    const user = await findUser(app.db, req.params.id);
    if (!user) throw userNotFound(req.params.id);
    return user;
  });
}
