import type { Cart, CartLine } from '@shop/contracts/api/cart';
import type { Money } from '@shop/contracts/money';

/** A cart as stored: quantities by SKU and the version. */
export interface StoredCart {
  version: number;
  lines: Map<string, number>;
}

/** What the projection knows of a product (undefined: nothing). */
export interface ProductInfo {
  name: string;
  price: Money;
  available: number;
}

/** Reads a cart hash, as HGETALL's flat `[field, value, …]` list: SKU fields and `_`-prefixed metadata. */
export function parseStoredCart(flat: string[]): StoredCart {
  const lines = new Map<string, number>();
  let version = 0;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const field = flat[i]!;
    const value = Number(flat[i + 1]);
    if (field === '_version') version = value;
    else if (!field.startsWith('_')) lines.set(field, value);
  }
  return { version, lines };
}

/**
 * The cart as the API shows it: every line at the product's current price, totals in integer minor
 * units. Lines are ordered by product name so they do not jump around as quantities change. A line
 * whose product the projection no longer knows keeps its SKU as its name and a zero price.
 */
export function toCart(id: string, stored: StoredCart, products: ReadonlyMap<string, ProductInfo | undefined>): Cart {
  const lines: CartLine[] = [...stored.lines].map(([sku, quantity]) => {
    const product = products.get(sku);
    const unitPrice: Money = product?.price ?? { amount: 0, currency: 'EUR' };
    return { sku, name: product?.name ?? sku, quantity, unitPrice, lineTotal: { amount: unitPrice.amount * quantity, currency: unitPrice.currency } };
  });
  lines.sort((a, b) => a.name.localeCompare(b.name) || a.sku.localeCompare(b.sku));
  return {
    id,
    lines,
    total: { amount: lines.reduce((sum, line) => sum + line.lineTotal.amount, 0), currency: 'EUR' },
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
    version: stored.version,
  };
}
