import { randomUUID } from 'node:crypto';
import type { Cart } from '@shop/contracts/api/cart';
import type { Money } from '@shop/contracts/money';
import type { CartClient } from '@shop/platform/clients/cart';
import { misbehave, refused, type Behaviour } from '@shop/platform/testing/fake-clients';
import { readConfig } from '../src/config.ts';

/** Session keys of this test run only, so runs (and the real bff-web) never see each other's sessions. */
export const SESSION_KEY_PREFIX = `test-bff-web-${randomUUID()}:`;

/** Sign-in attempt counters live beside the sessions (and go with them); only the rate-limit tests set a low limit. */
export const testConfig = (env: Record<string, string> = {}) =>
  readConfig({
    LOG_LEVEL: 'silent',
    LIVE_ENABLED: 'false',
    DOWNSTREAM_TIMEOUT_MS: '150',
    SESSION_KEY_PREFIX,
    AUTH_RATE_LIMIT_KEY_PREFIX: `${SESSION_KEY_PREFIX}auth-attempts:`,
    AUTH_RATE_LIMIT_PER_MIN: '1000',
    ...env,
  });

// An in-memory cart service, following its contract (the other services' stand-ins are platform's).

export interface FakeProduct {
  name: string;
  unitPrice: Money;
  stock: number;
}

export class FakeCart implements CartClient {
  behaviour: Behaviour = 'ok';
  readonly carts = new Map<string, { lines: Map<string, number>; version: number }>();
  readonly merges: { into: string; from: string }[] = [];

  constructor(readonly products: Map<string, FakeProduct> = new Map()) {}

  private cart(id: string) {
    let cart = this.carts.get(id);
    if (!cart) this.carts.set(id, (cart = { lines: new Map(), version: 0 }));
    return cart;
  }

  view(id: string): Cart {
    const cart = this.cart(id);
    const lines = [...cart.lines].map(([sku, quantity]) => {
      const p = this.products.get(sku)!;
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
    const product = this.products.get(sku);
    if (!product) throw refused('cart', 404, 'CART_UNKNOWN_PRODUCT', `No product with SKU ${sku} is for sale`);
    if (quantity > product.stock)
      throw refused('cart', 409, 'CART_INSUFFICIENT_STOCK', `Only ${product.stock} of ${sku} left; ${quantity} cannot be put in the cart`);
    const cart = this.cart(cartId);
    if (quantity === 0) cart.lines.delete(sku);
    else cart.lines.set(sku, quantity);
    cart.version++;
    return this.view(cartId);
  }

  async merge(cartId: string, from: string) {
    await misbehave('cart', this.behaviour);
    this.merges.push({ into: cartId, from });
    const into = this.cart(cartId);
    const source = this.cart(from);
    for (const [sku, quantity] of source.lines) {
      into.lines.set(sku, Math.min((into.lines.get(sku) ?? 0) + quantity, this.products.get(sku)?.stock ?? 0));
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
