import type { User } from '@shop/contracts/api/identity';
import { IdentityEventTypes, type UserRegisteredData } from '@shop/contracts/events/identity';
import type { DbClient } from '@shop/platform/db';
import { createEvent, enqueue } from '@shop/platform/outbox';
import { SERVICE_NAME } from '../config.ts';

/** `identity.user.registered` into the outbox, in the transaction that adds the user. Never carries a password. */
export function userRegistered(client: DbClient, topic: string, user: User): Promise<void> {
  const data: UserRegisteredData = { userId: user.id, email: user.email, name: user.name };
  return enqueue(client, topic, createEvent(SERVICE_NAME, { type: IdentityEventTypes.userRegistered, subject: user.id, data }));
}
