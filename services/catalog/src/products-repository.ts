import type { Money } from '@shop/contracts/money';
import type { ProductUpsertedData } from '@shop/contracts/events/catalog';
import type { CurrentPrice } from '@shop/contracts/api/catalog';
import type { DbClient, Pool } from '@shop/platform/db';

/** The write model: the catalog team's source of truth. */

export interface PriceChange {
  sku: string;
  price: Money;
  previousPrice: Money;
  version: number;
}

/** Sets a product's price; undefined when the SKU is unknown. Locks the row so concurrent changes queue up. */
export async function setPrice(db: DbClient, sku: string, price: Money): Promise<PriceChange | undefined> {
  const { rows } = await db.query<{ previous_amount: number; previous_currency: 'EUR'; version: number }>(
    `WITH previous AS (SELECT sku, price_amount, price_currency FROM products WHERE sku = $1 FOR UPDATE)
     UPDATE products p SET price_amount = $2, price_currency = $3, version = p.version + 1, updated_at = now()
     FROM previous WHERE p.sku = previous.sku
     RETURNING previous.price_amount AS previous_amount, previous.price_currency AS previous_currency, p.version`,
    [sku, price.amount, price.currency],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { sku, price, previousPrice: { amount: row.previous_amount, currency: row.previous_currency }, version: row.version };
}

export async function upsertCategory(db: DbClient, slug: string, name: string): Promise<void> {
  await db.query('INSERT INTO categories (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO UPDATE SET name = $2', [slug, name]);
}

/** Adds a product that does not exist yet; returns its event data, or undefined if it was already there. */
export async function addProduct(
  db: DbClient,
  p: { sku: string; name: string; description: string; category: string; price: Money },
): Promise<ProductUpsertedData | undefined> {
  const { rows } = await db.query<{ version: number }>(
    `INSERT INTO products (sku, name, description, category, price_amount, price_currency)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sku) DO NOTHING RETURNING version`,
    [p.sku, p.name, p.description, p.category, p.price.amount, p.price.currency],
  );
  const row = rows[0];
  return row && { ...p, version: row.version };
}

/** A product as its `catalog.product.upserted` event carries it. */
export async function findProduct(db: DbClient, sku: string): Promise<ProductUpsertedData | undefined> {
  const { rows } = await db.query<{ sku: string; name: string; description: string; category: string; amount: number; currency: 'EUR'; version: number }>(
    `SELECT sku, name, description, category, price_amount AS amount, price_currency AS currency, version FROM products WHERE sku = $1`,
    [sku],
  );
  const r = rows[0];
  return r && { sku: r.sku, name: r.name, description: r.description, category: r.category, price: { amount: r.amount, currency: r.currency }, version: r.version };
}

/** The current price, name and version of each known SKU in `skus` (the write model, not the listing). */
export async function currentPrices(db: Pool, skus: readonly string[]): Promise<CurrentPrice[]> {
  const { rows } = await db.query<{ sku: string; name: string; amount: number; currency: 'EUR'; version: number }>(
    `SELECT sku, name, price_amount AS amount, price_currency AS currency, version FROM products WHERE sku = ANY($1) ORDER BY sku`,
    [skus],
  );
  return rows.map((r) => ({ sku: r.sku, name: r.name, price: { amount: r.amount, currency: r.currency }, version: r.version }));
}
