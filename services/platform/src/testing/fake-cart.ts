import type { Cart } from '@shop/contracts/api/cart';
import type { Money } from '@shop/contracts/money';
import type { CartClient } from '../clients/cart.ts';
import { misbehave, refused, type Behaviour } from './fake-clients.ts';

/**
 * An in-memory cart service for the BFFs' unit tests, following its contract: lines capped by stock
 * (409 `CART_INSUFFICIENT_STOCK`) and by `maxLines` (409 `CART_FULL`), 404 for a product not for sale,
 * guest-cart merges (recorded in `merges`), a version per change. Fails like the other fakes (`behaviour`).
 */
/** What the cart knows of a product it sells: its name, price and the units in stock. */
export interface FakeProduct {
  name: string;
  unitPrice: Money;
  stock: number;
}

/** Looks a product up by SKU; undefined: not for sale. */
export type ProductLookup = (sku: string) => FakeProduct | undefined;

export class FakeCart implements CartClient {
  behaviour: Behaviour = 'ok';
  readonly carts = new Map<string, { lines: Map<string, number>; version: number }>();
  readonly merges: { into: string; from: string }[] = [];
  /** Distinct products one cart may hold, as the cart service limits them. */
  maxLines = 20;
  private readonly lookup: ProductLookup;

  /** `products`: a fixed list by SKU, or a lookup (over other fakes' catalog and stock, say). */
  constructor(products: Map<string, FakeProduct> | ProductLookup = new Map()) {
    this.lookup = typeof products === 'function' ? products : (sku) => products.get(sku);
  }

  private cart(id: string) {
    let cart = this.carts.get(id);
    if (!cart) this.carts.set(id, (cart = { lines: new Map(), version: 0 }));
    return cart;
  }

  view(id: string): Cart {
    const cart = this.cart(id);
    const lines = [...cart.lines].map(([sku, quantity]) => {
      const p = this.lookup(sku)!;
      return { sku, name: p.name, quantity, unitPrice: p.unitPrice, lineTotal: { amount: p.unitPrice.amount * quantity, currency: p.unitPrice.currency } };
    });
    return {
      id,
      lines,
      total: { amount: lines.reduce((sum, l) => sum + l.lineTotal.amount, 0), currency: 'EUR' },
      itemCount: lines.reduce((sum, l) => sum + l.quantity, 0),
      version: cart.version,
    };
  }

  async getCart(cartId: string) {
    await misbehave('cart', this.behaviour);
    return this.view(cartId);
  }

  async setLine(cartId: string, sku: string, quantity: number) {
    await misbehave('cart', this.behaviour);
    const product = this.lookup(sku);
    if (!product) throw refused('cart', 404, 'CART_UNKNOWN_PRODUCT', `No product with SKU ${sku} is for sale`);
    if (quantity > product.stock)
      throw refused('cart', 409, 'CART_INSUFFICIENT_STOCK', `Only ${product.stock} of ${sku} left; ${quantity} cannot be put in the cart`);
    const cart = this.cart(cartId);
    if (quantity === 0) cart.lines.delete(sku);
    else {
      if (!cart.lines.has(sku) && cart.lines.size >= this.maxLines) throw refused('cart', 409, 'CART_FULL', 'The cart is full');
      cart.lines.set(sku, quantity);
    }
    cart.version++;
    return this.view(cartId);
  }

  async merge(cartId: string, from: string) {
    await misbehave('cart', this.behaviour);
    this.merges.push({ into: cartId, from });
    const into = this.cart(cartId);
    const source = this.cart(from);
    for (const [sku, quantity] of source.lines) {
      into.lines.set(sku, Math.min((into.lines.get(sku) ?? 0) + quantity, this.lookup(sku)?.stock ?? 0));
    }
    if (source.lines.size > 0) {
      source.lines.clear();
      source.version++;
      into.version++;
    }
    return this.view(cartId);
  }

  async clear(cartId: string) {
    await misbehave('cart', this.behaviour);
    const cart = this.cart(cartId);
    if (cart.lines.size === 0) return;
    cart.lines.clear();
    cart.version++;
  }

  async ping() {
    await misbehave('cart', this.behaviour);
  }
}
