import { Type, type Static } from 'typebox';
import { eventContract, eventSchema } from '../envelope.ts';

/** Subject is the user id. Never carries a password or a token. */
export const IdentityEventTypes = { userRegistered: 'identity.user.registered' } as const;

export const UserRegisteredData = Type.Object({ userId: Type.String(), email: Type.String(), name: Type.String() });
export type UserRegisteredData = Static<typeof UserRegisteredData>;
export const UserRegistered = eventSchema(IdentityEventTypes.userRegistered, UserRegisteredData);
export const UserRegisteredV1 = eventContract(IdentityEventTypes.userRegistered, 1, UserRegisteredData);
