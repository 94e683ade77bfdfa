import type { StockLevel } from '@shop/contracts/api/inventory';
import type { DbClient, Pool } from '@shop/platform/db';

type Queryable = Pool | DbClient;

const COLUMNS = 'sku, available, reserved, version';

export async function findStock(db: Queryable, sku: string): Promise<StockLevel | undefined> {
  const { rows } = await db.query<StockLevel>(`SELECT ${COLUMNS} FROM stock WHERE sku = $1`, [sku]);
  return rows[0];
}

export async function findStocks(db: Queryable, skus: readonly string[]): Promise<StockLevel[]> {
  const { rows } = await db.query<StockLevel>(`SELECT ${COLUMNS} FROM stock WHERE sku = ANY($1) ORDER BY sku`, [skus]);
  return rows;
}

/** Sets the available count of a known SKU and bumps its version; undefined when the SKU is unknown. */
export async function setAvailable(db: DbClient, sku: string, available: number): Promise<StockLevel | undefined> {
  const { rows } = await db.query<StockLevel>(
    `UPDATE stock SET available = $2, version = version + 1, updated_at = now()
     WHERE sku = $1 RETURNING ${COLUMNS}`,
    [sku, available],
  );
  return rows[0];
}

/** Adds a SKU with its opening stock; an existing SKU is left as it is. */
export async function addSku(db: DbClient, sku: string, available: number): Promise<StockLevel | undefined> {
  const { rows } = await db.query<StockLevel>(
    `INSERT INTO stock (sku, available) VALUES ($1, $2) ON CONFLICT (sku) DO NOTHING RETURNING ${COLUMNS}`,
    [sku, available],
  );
  return rows[0];
}
