import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@shop/contracts/live';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A socket as a page opens it; `sid` sends the session cookie with the handshake, as a browser does. */
export async function openSocket(url: string, sid?: string): Promise<TestSocket> {
  const socket: TestSocket = connect(url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnectionDelay: 50,
    ...(sid ? { extraHeaders: { cookie: `sid=${sid}` } } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

export const watch = (socket: TestSocket, skus: unknown) =>
  socket.timeout(2_000).emitWithAck('watch', skus as string[]);

/** The next message of that kind the socket receives. */
export const next = <E extends keyof ServerToClientEvents>(socket: TestSocket, event: E, ms = 5_000) =>
  new Promise<Parameters<ServerToClientEvents[E]>[0]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    socket.once(event, ((value: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(value);
    }) as never);
  });

/** Polls until `ready` resolves true (for hooks, where expect.poll is not available). */
export async function waitUntil(ready: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
