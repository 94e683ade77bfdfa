import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** The parts of a socket.io `Server` a drain uses (structural, so platform need not depend on socket.io). */
export interface DrainableSocketServer {
  engine: { opts: { allowRequest?(req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void } };
  of(namespace: string): { local: { disconnectSockets(close?: boolean): void } };
}

/**
 * A graceful stop of a live hub, run when the app closes (`listen()` closes it on SIGTERM/SIGINT): the
 * socket server first refuses new connections, then tells every socket of `namespaces` to go (a server
 * disconnect that closes its connection). Clients reconnect after any disconnect, so they move to another
 * instance, or back to this one once it restarts; and no open websocket holds the HTTP server's close
 * until the forced exit. Registers a Fastify `preClose` hook; throws nothing.
 */
export function drainSocketsOnClose(app: FastifyInstance, io: DrainableSocketServer, namespaces: string[]): void {
  app.addHook('preClose', async () => {
    io.engine.opts.allowRequest = (_req, callback) => callback('server shutting down', false);
    for (const namespace of namespaces) io.of(namespace).local.disconnectSockets(true);
  });
}
