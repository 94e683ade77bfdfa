import { Type } from 'typebox';

export const UserParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
