import { withTransaction, type Pool } from '@shop/platform/db';
import { stockChanged } from './events/publish.ts';
import { addSku, findStock } from './repository.ts';

/**
 * Adds opening stock for SKUs not yet known, and announces every SKU's current level, new or not: a
 * consumer whose state was lost (a fresh broker, an emptied Redis) rebuilds it, and one that has the
 * level already drops the repeat by its version. Returns how many SKUs were added.
 */
export async function seedStock(pool: Pool, levels: readonly { sku: string; available: number }[]): Promise<number> {
  return withTransaction(pool, async (client) => {
    let added = 0;
    for (const { sku, available } of levels) {
      const created = await addSku(client, sku, available);
      const level = created ?? (await findStock(client, sku));
      if (created) added++;
      if (level) await stockChanged(client, level);
    }
    return added;
  });
}
