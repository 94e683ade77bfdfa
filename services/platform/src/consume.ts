import type { DbClient, Pool } from './db.ts';
import { withTransaction } from './db.ts';

/**
 * Applies an event's effect at most once: the processed-event record and the effect commit in one
 * transaction, so a redelivered event finds its record and is skipped. Returns false for a duplicate.
 */
export function applyOnce(
  pool: Pool,
  consumer: string,
  eventId: string,
  effect: (client: DbClient) => Promise<void>,
): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    const { rowCount } = await client.query(
      'INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [consumer, eventId],
    );
    if (!rowCount) return false;
    await effect(client);
    return true;
  });
}
