import type { Namespace, Socket } from 'socket.io';
import type { LiveHandshake, MobileClientEvents, MobileServerEvents } from '../schemas/live.ts';

/** What the handshake leaves on each `/m` socket. */
export interface MobileSocketData {
  userId: string;
  since: LiveHandshake['since'];
  /** Access-token expiry (unix seconds): the socket is closed then, and the app reconnects with a fresh token. */
  expiresAt?: number;
}

export type MobileNamespace = Namespace<MobileClientEvents, MobileServerEvents, Record<string, never>, MobileSocketData>;
export type MobileSocket = Socket<MobileClientEvents, MobileServerEvents, Record<string, never>, MobileSocketData>;
