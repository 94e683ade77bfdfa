import type { WebProduct } from '@shop/contracts/api/web';
import type { PriceUpdate, StockUpdate } from '@shop/contracts/live';

/** The newest live update seen per sku, kept apart from fetched data so a refetch cannot roll it back. */
export interface LiveState {
  stock: ReadonlyMap<string, StockUpdate>;
  price: ReadonlyMap<string, PriceUpdate>;
}

export const emptyLiveState: LiveState = { stock: new Map(), price: new Map() };

function newer(update: { version: number }, held: { version: number } | undefined | null): boolean {
  return !held || update.version > held.version;
}

/** Returns the same state object when the update is stale, so React skips the re-render. */
export function applyStockUpdate(state: LiveState, update: StockUpdate): LiveState {
  if (!newer(update, state.stock.get(update.sku))) return state;
  return { ...state, stock: new Map(state.stock).set(update.sku, update) };
}

export function applyPriceUpdate(state: LiveState, update: PriceUpdate): LiveState {
  if (!newer(update, state.price.get(update.sku))) return state;
  return { ...state, price: new Map(state.price).set(update.sku, update) };
}

/** The product as the page should show it: each of stock and price from whichever source is newer. */
export function withLiveUpdates(product: WebProduct, state: LiveState): WebProduct {
  const stock = state.stock.get(product.sku);
  const price = state.price.get(product.sku);
  const takeStock = stock !== undefined && newer(stock, product.stock);
  const takePrice = price !== undefined && newer(price, product.price);
  if (!takeStock && !takePrice) return product;
  return {
    ...product,
    stock: takeStock ? { available: stock.available, status: stock.status, version: stock.version } : product.stock,
    price: takePrice ? { ...price.price, version: price.version } : product.price,
  };
}
