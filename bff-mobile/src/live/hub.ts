import type { FastifyBaseLogger } from 'fastify';
import { Compile } from 'typebox/compile';
import type { StockLevel } from '@shop/contracts/api/inventory';
import type { TokenVerifier } from '@shop/platform/auth';
import { explain } from '@shop/platform/explain';
import { MAX_SKUS_PER_WATCH } from '@shop/platform/live-limits';
import type { ProblemCode } from '../errors.ts';
import { UnwatchRequest, WatchRequest } from '../schemas/live.ts';
import type { Problem } from '../schemas/problem.ts';
import type { ChangeLog } from './change-log.ts';
import { Connection } from './connection.ts';
import { Followers } from './followers.ts';
import { liveHandshake } from './handshake.ts';
import type { MobileNamespace, MobileSocket } from './socket-types.ts';

export interface LiveHubOptions {
  nsp: MobileNamespace;
  log: ChangeLog;
  verifier: TokenVerifier;
  /** Current stock of products (inventory), for snapshots. */
  stockLevels(skus: string[]): Promise<StockLevel[]>;
  logger: FastifyBaseLogger;
  problem(code: ProblemCode, detail: string): Problem;
  /** Products one socket may watch at once. */
  maxWatchedPerSocket: number;
}

const isWatchRequest = Compile(WatchRequest);
const isUnwatchRequest = Compile(UnwatchRequest);

/**
 * The `/m` namespace: authenticates each app by the token in its handshake, follows its user stream (cart
 * and order changes) and the stock streams of the products it watches, and delivers every change from the
 * change log, in order, once. Live delivery and resuming are the same path — read the log after the
 * socket's position — so a change can neither be skipped nor sent twice, whichever instance logged it.
 * Returns `close`, which stops listening to the change log.
 */
export function attachLiveHub({ nsp, log, verifier, stockLevels, logger, problem, maxWatchedPerSocket }: LiveHubOptions): { close(): void } {
  const followers = new Followers();
  const unsubscribe = log.subscribe((stream) => followers.wake(stream));
  nsp.use(liveHandshake({ verifier, logger, problem }));
  nsp.on('connection', (socket) => serve(socket, new Connection({ socket, log, stockLevels, logger }, followers, maxWatchedPerSocket), logger));
  return { close: unsubscribe };
}

/** Wires one app's socket to its connection: watch and unwatch requests, catching up, and cleanup. */
function serve(socket: MobileSocket, connection: Connection, logger: FastifyBaseLogger): void {
  socket.on('disconnect', () => connection.close());
  socket.on('watch', (request, ack) => {
    const answer = typeof ack === 'function' ? ack : () => undefined;
    if (!isWatchRequest.Check(request)) {
      answer({ error: `watch takes {skus: [at most ${MAX_SKUS_PER_WATCH} SKUs], since?: {SKU: version}}: ${explain(isWatchRequest, request)}` });
      return;
    }
    connection.watch(request.skus, request.since).then(answer, (err: unknown) => {
      logger.warn({ err }, 'watch failed');
      answer({ error: 'could not watch these products right now; try again' });
    });
  });
  socket.on('unwatch', (skus) => {
    if (isUnwatchRequest.Check(skus)) connection.unwatch(skus);
  });
  connection.connect().catch((err: unknown) => {
    logger.warn({ err, userId: socket.data.userId }, 'live connection could not catch up; closing it so the app reconnects');
    socket.disconnect(true);
  });
}
