import { withTransaction, type Pool } from '@shop/platform/db';
import type { Money } from '@shop/contracts/money';
import { productUpserted } from './events/publish.ts';
import { projectProduct } from './listing-repository.ts';
import { addProduct, upsertCategory } from './products-repository.ts';

export interface SeedProduct { sku: string; name: string; description: string; category: string; price: Money }

/**
 * Adds categories and the products not yet known, each with its event. The listing is projected in
 * the same transaction so a fresh shop is browsable at once; the events bring it to other services.
 */
export async function seedCatalog(
  pool: Pool,
  categories: readonly { slug: string; name: string }[],
  products: readonly SeedProduct[],
): Promise<number> {
  return withTransaction(pool, async (client) => {
    for (const c of categories) await upsertCategory(client, c.slug, c.name);
    let added = 0;
    for (const p of products) {
      const data = await addProduct(client, p);
      if (!data) continue;
      await projectProduct(client, data);
      await productUpserted(client, data);
      added++;
    }
    return added;
  });
}
