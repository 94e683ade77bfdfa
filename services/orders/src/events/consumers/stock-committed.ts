import { StockCommittedV1 } from '@shop/contracts/events/inventory';
import { onStockCommitted, sagaStep, type SagaContext } from '../../saga.ts';

/** `inventory.stock.committed`: the sale is made; the order is confirmed. */
export const stockCommitted = (ctx: SagaContext) => sagaStep(ctx, StockCommittedV1, (db, data) => onStockCommitted(db, ctx, data.orderId));
