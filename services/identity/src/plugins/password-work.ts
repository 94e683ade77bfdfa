import { bulkhead, BulkheadRejectedError } from 'cockatiel';
import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import { errorBody } from '@shop/platform/server';

export interface PasswordWorkOptions {
  /** Password hashes (scrypt) computed at once. */
  concurrency: number;
  /** Hashes that may wait for a slot; beyond them a request is shed at once. */
  queue: number;
}

/** Thrown when every slot and queue place is taken: answered 503 with `Retry-After` (see `sendBusy`). */
export class PasswordWorkBusyError extends Error {
  constructor(readonly retryAfterS: number) {
    super('Too many sign-ins and registrations at once');
    this.name = 'PasswordWorkBusyError';
  }
}

/** `app.passwordWork.run(fn)`: runs a password hash (`fn`) within the bulkhead; throws PasswordWorkBusyError when full. */
export interface PasswordWork {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * A bulkhead (cockatiel) around password hashing. scrypt is memory-hard and takes ~0.2 s of a thread; a
 * burst of thirty sign-ups would otherwise all run together, each finishing only after the callers' budgets
 * (bff-mobile: 2 s), so every one times out and the callers' circuits open for every shopper. With a
 * bound, the excess gets a quick 503 and a Retry-After (the time the queue ahead takes, at least 1 s), and
 * what is admitted finishes in time.
 */
export const passwordWorkPlugin = fp<PasswordWorkOptions>(
  async (app, { concurrency, queue }) => {
    const policy = bulkhead(concurrency, queue);
    let averageMs = 200; // scrypt at N=2^15 on one core; refined as hashes complete (EWMA)
    app.decorate<PasswordWork>('passwordWork', {
      async run(fn) {
        try {
          return await policy.execute(async () => {
            const started = performance.now();
            try {
              return await fn();
            } finally {
              averageMs = averageMs * 0.8 + (performance.now() - started) * 0.2;
            }
          });
        } catch (err) {
          if (err instanceof BulkheadRejectedError) {
            throw new PasswordWorkBusyError(Math.max(1, Math.ceil((((concurrency + queue) / concurrency) * averageMs) / 1000)));
          }
          throw err;
        }
      },
    });
  },
  { name: 'password-work' },
);

/** Answers a shed request: 503 IDENTITY_BUSY with `Retry-After` (RFC 9110 §10.2.3, seconds). */
export const sendBusy = (reply: FastifyReply, err: PasswordWorkBusyError) =>
  reply
    .code(503)
    .header('retry-after', String(err.retryAfterS))
    .send(errorBody(503, 'IDENTITY_BUSY', `Too many sign-ins and registrations at once; try again in ${err.retryAfterS} s`));

declare module 'fastify' {
  interface FastifyInstance {
    passwordWork: PasswordWork;
  }
}
