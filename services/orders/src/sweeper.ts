import { withTransaction, type Pool } from '@shop/platform/db';
import { lockNextOverdue, postponeDeadline } from './repository.ts';
import { onDeadline, type SagaContext } from './saga.ts';

/** At most this many orders per sweep, so one sweep cannot run on without end. */
const MAX_PER_SWEEP = 500;

/**
 * Moves on every order whose step is overdue, one transaction per order: the order is locked with
 * SKIP LOCKED, so instances sweeping at once, or a consumer moving the order right now, never
 * collide. Returns how many orders it handled.
 */
export async function sweepOverdue(pool: Pool, ctx: SagaContext): Promise<number> {
  let handled = 0;
  while (handled < MAX_PER_SWEEP) {
    let current: string | undefined;
    try {
      const found = await withTransaction(pool, async (db) => {
        const order = await lockNextOverdue(db);
        if (!order) return false;
        current = order.id;
        await onDeadline(db, ctx, order);
        return true;
      });
      if (!found) break;
    } catch (err) {
      if (!current) throw err;
      // One order that cannot be moved must not hold up the others: try it again a step later.
      ctx.log.error({ err, orderId: current }, 'moving an overdue order failed; will try again');
      await postponeDeadline(pool, current, ctx.stepTimeoutMs);
    }
    handled++;
  }
  return handled;
}
