import type { Cart } from '@shop/contracts/api/cart';
import type { Product } from '@shop/contracts/api/catalog';
import type { StockLevel } from '@shop/contracts/api/inventory';
import { createTokenVerifier, type TokenVerifier } from '@shop/platform/auth';
import type { CartClient } from '@shop/platform/clients/cart';
import {
  FakeCatalog,
  FakeInventory,
  FakeOrders,
  FakePayments,
  misbehave,
  refused,
  type Behaviour,
} from '@shop/platform/testing/fake-clients';
import { FakeIdentity, startJwksServer } from '@shop/platform/testing/fake-identity';
import { readConfig } from '../src/config.ts';

/** An in-memory cart (the other services' stand-ins are platform's), wired into a whole fake backend; unit tests only. */

export const testConfig = (env: Record<string, string> = {}) =>
  readConfig({ LOG_LEVEL: 'silent', LIVE_ENABLED: 'false', DOWNSTREAM_TIMEOUT_MS: '500', ...env });

export class FakeCart implements CartClient {
  behaviour: Behaviour = 'ok';
  readonly carts = new Map<string, Map<string, number>>();
  maxLines = 20;

  constructor(
    private readonly catalog: FakeCatalog,
    private readonly inventory: FakeInventory,
  ) {}

  private view(cartId: string): Cart {
    const lines = [...(this.carts.get(cartId) ?? new Map<string, number>())].map(([sku, quantity]) => {
      const p = this.catalog.products.find((x) => x.sku === sku)!;
      return { sku, name: p.name, quantity, unitPrice: p.price, lineTotal: { amount: p.price.amount * quantity, currency: 'EUR' as const } };
    });
    const total = lines.reduce((sum, l) => sum + l.lineTotal.amount, 0);
    return { id: cartId, lines, total: { amount: total, currency: 'EUR' }, itemCount: lines.reduce((n, l) => n + l.quantity, 0), version: 1 };
  }

  async getCart(cartId: string) {
    await misbehave('cart', this.behaviour);
    return this.view(cartId);
  }

  async setLine(cartId: string, sku: string, quantity: number) {
    await misbehave('cart', this.behaviour);
    if (!this.catalog.products.some((p) => p.sku === sku)) throw refused('cart', 404, 'CART_UNKNOWN_PRODUCT', `No product with SKU ${sku} is for sale`);
    const available = this.inventory.levels.get(sku)?.available ?? 0;
    if (quantity > available) throw refused('cart', 409, 'CART_INSUFFICIENT_STOCK', `Only ${available} of ${sku} left; ${quantity} cannot be put in the cart`);
    const lines = this.carts.get(cartId) ?? new Map<string, number>();
    if (quantity === 0) lines.delete(sku);
    else {
      if (!lines.has(sku) && lines.size >= this.maxLines) throw refused('cart', 409, 'CART_FULL', 'The cart is full');
      lines.set(sku, quantity);
    }
    this.carts.set(cartId, lines);
    return this.view(cartId);
  }

  async merge(cartId: string) {
    await misbehave('cart', this.behaviour);
    return this.view(cartId);
  }

  async clear(cartId: string) {
    await misbehave('cart', this.behaviour);
    this.carts.delete(cartId);
  }

  async ping() {
    await misbehave('cart', this.behaviour);
  }
}

/** A whole fake backend, wired together. */
/** Access tokens as an app gets them: signed by the fake identity, verified against its JWKS served over HTTP. */
export interface TestKeys {
  jwksUrl: string;
  verifier(): TokenVerifier;
  sign(user: { id: string; email: string; name: string }, options?: { ttlS?: number; issuedAt?: number }): Promise<string>;
  /** A token of the right shape signed with a key identity never had, under identity's kid. */
  forge(user: { id: string; email: string; name: string }): Promise<string>;
  close(): Promise<void>;
}

export async function fakeBackends(products: Product[] = [], levels: StockLevel[] = []) {
  const identity = await FakeIdentity.create();
  const jwks = await startJwksServer(identity);
  const keys: TestKeys = {
    jwksUrl: jwks.url,
    verifier: () => createTokenVerifier({ jwksUrl: jwks.url }),
    sign: (user, { ttlS, issuedAt } = {}) => identity.signAccessToken(user, { ttlSeconds: ttlS, issuedAt }),
    forge: (user) => identity.forge(user),
    close: () => jwks.close(),
  };
  const catalog = new FakeCatalog(products);
  catalog.drawImages = true;
  catalog.categories = [
    { slug: 'kitchen', name: 'Kitchen', count: 3 },
    { slug: 'audio', name: 'Audio', count: 1 },
  ];
  const inventory = new FakeInventory(levels);
  const cart = new FakeCart(catalog, inventory);
  const payments = new FakePayments();
  const orders = new FakeOrders();
  return { keys, catalog, inventory, identity, cart, payments, orders, clients: { catalog, inventory, identity, cart, payments, orders } };
}

export const shippingAddress = { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' };
export const goodCard = { cardNumber: '4242 4242 4242 4242', expiry: '12/34', cvc: '123' };
