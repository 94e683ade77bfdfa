import { StockReservedV1 } from '@shop/contracts/events/inventory';
import { onStockReserved, sagaStep, type SagaContext } from '../../saga.ts';

/** `inventory.stock.reserved`: the stock is held, so payments is asked to charge. */
export const stockReserved = (ctx: SagaContext) => sagaStep(ctx, StockReservedV1, (db, data) => onStockReserved(db, ctx, data.orderId));
