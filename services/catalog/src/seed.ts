import { withTransaction, type Pool } from '@shop/platform/db';
import type { Money } from '@shop/contracts/money';
import { productUpserted } from './events/publish.ts';
import { projectProduct } from './listing-repository.ts';
import { addProduct, findProduct, upsertCategory } from './products-repository.ts';

export interface SeedProduct { sku: string; name: string; description: string; category: string; price: Money }

/**
 * Adds categories and the products not yet known; the listing is projected in the same transaction so
 * a fresh shop is browsable at once. Every product's current state is announced, new or not, so a
 * consumer whose state was lost (a fresh broker, an emptied Redis) rebuilds it; one that has it drops
 * the repeat by its version. Returns how many products were added.
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
      const created = await addProduct(client, p);
      if (created) {
        await projectProduct(client, created);
        added++;
      }
      const current = created ?? (await findProduct(client, p.sku));
      if (current) await productUpserted(client, current);
    }
    return added;
  });
}
