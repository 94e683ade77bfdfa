import { seedCatalog } from '@shop/catalog/seed';
import { migrationsDir as catalogMigrations } from '@shop/catalog/app';
import { migrationsDir as inventoryMigrations } from '@shop/inventory/app';
import { seedStock } from '@shop/inventory/seed';
import { createPool, ensureDatabase, migrate } from '@shop/platform/db';
import { databaseUrl } from './parts.ts';
import { categories, products } from './seed/data.ts';

/**
 * Creates each service's database, migrates it and adds the demo range. Safe to run on every start:
 * products and stock that already exist are left as they are.
 */
export async function prepareDatabases(log: (line: string) => void): Promise<void> {
  await withDatabase('catalog', catalogMigrations, async (pool) => {
    const added = await seedCatalog(pool, categories, products);
    log(`catalog: ${added ? `seeded ${added} products` : 'seed data present'}`);
  });
  await withDatabase('inventory', inventoryMigrations, async (pool) => {
    const added = await seedStock(pool, products);
    log(`inventory: ${added ? `seeded stock for ${added} SKUs` : 'seed data present'}`);
  });
}

async function withDatabase(name: string, migrations: string, work: (pool: ReturnType<typeof createPool>) => Promise<void>) {
  const url = databaseUrl(name);
  await ensureDatabase(url);
  await migrate(url, migrations);
  const pool = createPool(url, 2);
  try {
    await work(pool);
  } finally {
    await pool.end();
  }
}
