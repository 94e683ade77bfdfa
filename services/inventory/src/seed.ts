import { withTransaction, type Pool } from '@shop/platform/db';
import { stockChanged } from './events/publish.ts';
import { addSku } from './repository.ts';

/** Adds opening stock for SKUs not yet known, each with its event, so the catalog's read model learns it too. */
export async function seedStock(pool: Pool, levels: readonly { sku: string; available: number }[]): Promise<number> {
  return withTransaction(pool, async (client) => {
    let added = 0;
    for (const { sku, available } of levels) {
      const level = await addSku(client, sku, available);
      if (!level) continue;
      await stockChanged(client, level);
      added++;
    }
    return added;
  });
}
