import type { Category, Product, ProductPage, SortOrder } from '@shop/contracts/api/catalog';
import type { PriceChangedData, ProductUpsertedData } from '@shop/contracts/events/catalog';
import type { StockChangedData } from '@shop/contracts/events/inventory';
import type { DbClient, Pool } from '@shop/platform/db';

/** The read model: a denormalised listing built from events, for browsing and full-text search. */

type Queryable = Pool | DbClient;

interface ListingRow {
  sku: string;
  name: string;
  description: string;
  category: string;
  price_amount: number;
  price_currency: 'EUR';
  price_version: number;
  available: number | null;
  stock_version: number;
}

const toProduct = (r: ListingRow): Product => ({
  sku: r.sku,
  name: r.name,
  description: r.description,
  category: r.category,
  price: { amount: r.price_amount, currency: r.price_currency },
  available: r.available ?? 0,
  image: imagePath(r.sku),
  priceVersion: r.price_version,
  stockVersion: r.stock_version,
});

export const imagePath = (sku: string) => `/images/${sku}.svg`;

const ORDER_BY: Record<SortOrder, string> = {
  relevance: 'rank DESC, name ASC',
  'price-asc': 'price_amount ASC, name ASC',
  'price-desc': 'price_amount DESC, name ASC',
  name: 'name ASC',
};

/**
 * Turns what a shopper typed into a prefix-matching tsquery ("wire head" finds "wireless headphones").
 * Only letters and digits pass, so no input can make the query invalid.
 */
export function toPrefixQuery(text: string | undefined): string | undefined {
  const words = (text ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : undefined;
}

export interface Search {
  query?: string;
  category?: string;
  sort?: SortOrder;
  offset?: number;
  limit?: number;
}

export async function searchListing(db: Queryable, s: Search): Promise<ProductPage> {
  const tsquery = toPrefixQuery(s.query);
  const sort = s.sort ?? 'relevance';
  const { rows } = await db.query<ListingRow & { total: string }>(
    `SELECT *, count(*) OVER () AS total FROM (
       SELECT l.*, CASE WHEN $1::text IS NULL THEN 0 ELSE ts_rank(search, to_tsquery('english', $1)) END AS rank
       FROM product_listing l
       WHERE name IS NOT NULL
         AND ($1::text IS NULL OR search @@ to_tsquery('english', $1))
         AND ($2::text IS NULL OR category = $2)
     ) matches
     ORDER BY ${ORDER_BY[sort]}, sku
     OFFSET $3 LIMIT $4`,
    [tsquery ?? null, s.category ?? null, s.offset ?? 0, s.limit ?? 12],
  );
  const total = rows[0] ? Number(rows[0].total) : await countMatches(db, tsquery, s.category);
  return { items: rows.map(toProduct), total };
}

// An offset past the last match returns no rows, and with them no window count.
async function countMatches(db: Queryable, tsquery: string | undefined, category: string | undefined): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM product_listing WHERE name IS NOT NULL
       AND ($1::text IS NULL OR search @@ to_tsquery('english', $1)) AND ($2::text IS NULL OR category = $2)`,
    [tsquery ?? null, category ?? null],
  );
  return Number(rows[0]?.n ?? 0);
}

export async function findListed(db: Queryable, sku: string): Promise<Product | undefined> {
  const { rows } = await db.query<ListingRow>('SELECT * FROM product_listing WHERE sku = $1 AND name IS NOT NULL', [sku]);
  return rows[0] && toProduct(rows[0]);
}

export async function listCategories(db: Queryable): Promise<Category[]> {
  const { rows } = await db.query<{ slug: string; name: string; count: string }>(
    `SELECT c.slug, c.name, count(l.sku) AS count FROM categories c
     LEFT JOIN product_listing l ON l.category = c.slug AND l.name IS NOT NULL
     GROUP BY c.slug, c.name ORDER BY c.name`,
  );
  return rows.map((r) => ({ slug: r.slug, name: r.name, count: Number(r.count) }));
}

// Each projection applies an event only if it is newer than what the row holds, so a
// redelivered or out-of-order event changes nothing.

export async function projectProduct(db: DbClient, p: ProductUpsertedData): Promise<void> {
  await db.query(
    `INSERT INTO product_listing (sku, name, description, category, price_amount, price_currency, price_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (sku) DO UPDATE SET name = $2, description = $3, category = $4,
       price_amount = $5, price_currency = $6, price_version = $7
     WHERE product_listing.price_version < $7`,
    [p.sku, p.name, p.description, p.category, p.price.amount, p.price.currency, p.version],
  );
}

export async function projectPrice(db: DbClient, p: PriceChangedData): Promise<void> {
  await db.query(
    `INSERT INTO product_listing (sku, price_amount, price_currency, price_version) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sku) DO UPDATE SET price_amount = $2, price_currency = $3, price_version = $4
     WHERE product_listing.price_version < $4`,
    [p.sku, p.price.amount, p.price.currency, p.version],
  );
}

export async function projectStock(db: DbClient, s: StockChangedData): Promise<void> {
  await db.query(
    `INSERT INTO product_listing (sku, available, stock_version) VALUES ($1, $2, $3)
     ON CONFLICT (sku) DO UPDATE SET available = $2, stock_version = $3
     WHERE product_listing.stock_version < $3`,
    [s.sku, s.available, s.version],
  );
}
