import { CatalogEventTypes, type PriceChangedData, type ProductUpsertedData } from '@shop/contracts/events/catalog';
import { Topics } from '@shop/contracts/topics';
import type { DbClient } from '@shop/platform/db';
import { createEvent, enqueue } from '@shop/platform/outbox';
import { SERVICE_NAME } from '../config.ts';

// `topic` is the catalog topic behind the configured prefix (`topicNames(TOPIC_PREFIX).catalog`);
// the default serves callers that run without one, like the seed.

export const priceChanged = (client: DbClient, data: PriceChangedData, topic: string = Topics.catalog) =>
  enqueue(client, topic, createEvent(SERVICE_NAME, { type: CatalogEventTypes.priceChanged, subject: data.sku, data }));

export const productUpserted = (client: DbClient, data: ProductUpsertedData, topic: string = Topics.catalog) =>
  enqueue(client, topic, createEvent(SERVICE_NAME, { type: CatalogEventTypes.productUpserted, subject: data.sku, data }));
