import type { Product } from '@shop/contracts/api/catalog';
import type { StockLevel } from '@shop/contracts/api/inventory';
import { createTokenVerifier, type TokenVerifier } from '@shop/platform/auth';
import { FakeCart } from '@shop/platform/testing/fake-cart';
import {
  FakeCatalog,
  FakeInventory,
  FakeOrders,
  FakePayments,
} from '@shop/platform/testing/fake-clients';
import { FakeIdentity, startJwksServer } from '@shop/platform/testing/fake-identity';
import { readConfig } from '../src/config.ts';

/** bff-mobile's test settings and a whole fake backend wired from platform's service fakes; unit tests only. */

export const testConfig = (env: Record<string, string> = {}) =>
  readConfig({ LOG_LEVEL: 'silent', LIVE_ENABLED: 'false', DOWNSTREAM_TIMEOUT_MS: '500', ...env });

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
  // The cart sells what the catalog lists, at its price, up to the stock inventory holds.
  const cart = new FakeCart((sku) => {
    const listed = catalog.products.find((p) => p.sku === sku);
    return listed && { name: listed.name, unitPrice: listed.price, stock: inventory.levels.get(sku)?.available ?? 0 };
  });
  const payments = new FakePayments();
  const orders = new FakeOrders();
  return { keys, catalog, inventory, identity, cart, payments, orders, clients: { catalog, inventory, identity, cart, payments, orders } };
}

export const shippingAddress = { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' };
export const goodCard = { cardNumber: '4242 4242 4242 4242', expiry: '12/34', cvc: '123' };
