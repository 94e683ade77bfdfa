import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { CatalogEventTypes, PriceChangedData, ProductUpsertedData } from '@shop/contracts/events/catalog';
import { InventoryEventTypes, StockChangedData } from '@shop/contracts/events/inventory';
import type { CloudEvent } from '@shop/contracts/envelope';
import { applyOnce } from '@shop/platform/consume';
import type { DbClient, Pool } from '@shop/platform/db';
import { projectPrice, projectProduct, projectStock } from '../../listing-repository.ts';

const CONSUMER = 'catalog-read-model';

/** Which projection each event type feeds, with the schema its data must match. */
const projections: Record<string, (db: DbClient, data: unknown) => Promise<void>> = {
  [CatalogEventTypes.productUpserted]: checked(ProductUpsertedData, projectProduct),
  [CatalogEventTypes.priceChanged]: checked(PriceChangedData, projectPrice),
  [InventoryEventTypes.stockChanged]: checked(StockChangedData, projectStock),
};

/** Keeps the listing current. Unknown event types are ignored; each event is applied once. */
export async function updateReadModel(pool: Pool, event: CloudEvent): Promise<void> {
  const project = projections[event.type];
  if (!project) return;
  await applyOnce(pool, CONSUMER, event.id, (db) => project(db, event.data));
}

function checked<S extends TSchema>(schema: S, project: (db: DbClient, data: Static<S>) => Promise<void>) {
  const validator = Compile(schema);
  return (db: DbClient, data: unknown) => {
    if (!validator.Check(data)) {
      const first = validator.Errors(data)[0];
      throw new Error(`event data is invalid: ${first ? `${first.instancePath} ${first.message}` : 'schema mismatch'}`);
    }
    return project(db, data as Static<S>);
  };
}
