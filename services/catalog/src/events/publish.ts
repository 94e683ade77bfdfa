import { CatalogEventTypes, type PriceChangedData, type ProductUpsertedData } from '@shop/contracts/events/catalog';
import { Topics } from '@shop/contracts/topics';
import type { DbClient } from '@shop/platform/db';
import { createEvent, enqueue } from '@shop/platform/outbox';
import { SERVICE_NAME } from '../config.ts';

export const priceChanged = (client: DbClient, data: PriceChangedData) =>
  enqueue(client, Topics.catalog, createEvent(SERVICE_NAME, { type: CatalogEventTypes.priceChanged, subject: data.sku, data }));

export const productUpserted = (client: DbClient, data: ProductUpsertedData) =>
  enqueue(client, Topics.catalog, createEvent(SERVICE_NAME, { type: CatalogEventTypes.productUpserted, subject: data.sku, data }));
