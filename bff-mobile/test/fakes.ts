import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Cart } from '@shop/contracts/api/cart';
import type { Product } from '@shop/contracts/api/catalog';
import { TokenClaims, type PasswordGrantBody, type RegisterBody, type TokenPair } from '@shop/contracts/api/identity';
import type { StockLevel } from '@shop/contracts/api/inventory';
import { createTokenVerifier, type TokenVerifier } from '@shop/platform/auth';
import type { CartClient } from '@shop/platform/clients/cart';
import type { IdentityClient } from '@shop/platform/clients/identity';
import {
  FakeCatalog,
  FakeInventory,
  FakeOrders,
  FakePayments,
  misbehave,
  refused,
  type Behaviour,
} from '@shop/platform/testing/fake-clients';
import { readConfig } from '../src/config.ts';

/** In-memory identity and cart (the other services' stand-ins are platform's), wired into a whole fake backend; unit tests only. */

export const testConfig = (env: Record<string, string> = {}) =>
  readConfig({ LOG_LEVEL: 'silent', LIVE_ENABLED: 'false', DOWNSTREAM_TIMEOUT_MS: '500', ...env });

/** Signs access tokens the way identity does (EdDSA, kid, iss/aud) and serves the public key as a JWKS. */
export class TestKeys {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly kid: string,
    private readonly server: Server,
    readonly jwksUrl: string,
  ) {}

  static async start(): Promise<TestKeys> {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const kid = randomUUID();
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }] });
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new TestKeys(privateKey, kid, server, `http://127.0.0.1:${port}/.well-known/jwks.json`);
  }

  verifier(): TokenVerifier {
    return createTokenVerifier({ jwksUrl: this.jwksUrl });
  }

  sign(user: { id: string; email: string; name: string }, { ttlS = 900, issuedAt = Math.floor(Date.now() / 1000) } = {}) {
    return new SignJWT({ email: user.email, name: user.name })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.kid, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(TokenClaims.issuer)
      .setAudience(TokenClaims.audience)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttlS)
      .sign(this.privateKey);
  }

  /** A token of the right shape signed with a key identity never had, under identity's kid. */
  async forge(user: { id: string; email: string; name: string }) {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    return new SignJWT({ email: user.email, name: user.name })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.kid, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(TokenClaims.issuer)
      .setAudience(TokenClaims.audience)
      .setIssuedAt()
      .setExpirationTime('15m')
      .sign(privateKey);
  }

  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export class FakeIdentity implements IdentityClient {
  behaviour: Behaviour = 'ok';
  readonly users = new Map<string, { id: string; email: string; name: string; password: string }>();
  private readonly refreshTokens = new Map<string, string>();

  constructor(private readonly keys: TestKeys) {}

  private async pair(userId: string): Promise<TokenPair> {
    const user = [...this.users.values()].find((u) => u.id === userId)!;
    const refreshToken = `rt-${randomUUID()}`;
    this.refreshTokens.set(refreshToken, userId);
    return { accessToken: await this.keys.sign(user), refreshToken, expiresIn: 900 };
  }

  async register(body: RegisterBody) {
    await misbehave('identity', this.behaviour);
    if (this.users.has(body.email)) throw refused('identity', 409, 'IDENTITY_EMAIL_TAKEN', 'An account with this email already exists');
    const user = { id: randomUUID(), email: body.email, name: body.name, password: body.password };
    this.users.set(body.email, user);
    return { user: { id: user.id, email: user.email, name: user.name }, tokens: await this.pair(user.id) };
  }

  async signIn(body: PasswordGrantBody) {
    await misbehave('identity', this.behaviour);
    const user = this.users.get(body.email);
    if (!user || user.password !== body.password) throw refused('identity', 401, 'IDENTITY_INVALID_CREDENTIALS', 'Email or password is wrong');
    return this.pair(user.id);
  }

  async refresh(refreshToken: string) {
    await misbehave('identity', this.behaviour);
    const userId = this.refreshTokens.get(refreshToken);
    if (!userId) throw refused('identity', 401, 'IDENTITY_INVALID_REFRESH_TOKEN', 'The refresh token is unknown, expired or revoked');
    this.refreshTokens.delete(refreshToken);
    return this.pair(userId);
  }

  async revoke(refreshToken: string) {
    await misbehave('identity', this.behaviour);
    this.refreshTokens.delete(refreshToken);
  }

  async ping() {
    await misbehave('identity', this.behaviour);
  }
}

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
export async function fakeBackends(products: Product[] = [], levels: StockLevel[] = []) {
  const keys = await TestKeys.start();
  const catalog = new FakeCatalog(products);
  catalog.drawImages = true;
  catalog.categories = [
    { slug: 'kitchen', name: 'Kitchen', count: 3 },
    { slug: 'audio', name: 'Audio', count: 1 },
  ];
  const inventory = new FakeInventory(levels);
  const identity = new FakeIdentity(keys);
  const cart = new FakeCart(catalog, inventory);
  const payments = new FakePayments();
  const orders = new FakeOrders();
  return { keys, catalog, inventory, identity, cart, payments, orders, clients: { catalog, inventory, identity, cart, payments, orders } };
}

export const shippingAddress = { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' };
export const goodCard = { cardNumber: '4242 4242 4242 4242', expiry: '12/34', cvc: '123' };
