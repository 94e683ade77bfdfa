import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Cart } from '@shop/contracts/api/cart';
import type { Category, Product, ProductSearchQuery } from '@shop/contracts/api/catalog';
import { TokenClaims, type PasswordGrantBody, type RegisterBody, type TokenPair, type User } from '@shop/contracts/api/identity';
import type { StockLevel } from '@shop/contracts/api/inventory';
import type { Order, PlaceOrderBody } from '@shop/contracts/api/orders';
import type { CardDetails, PaymentMethod } from '@shop/contracts/api/payments';
import type { Money } from '@shop/contracts/money';
import type { CartClient } from '@shop/platform/clients/cart';
import type { CatalogClient, ProductImage } from '@shop/platform/clients/catalog';
import { DownstreamError } from '@shop/platform/clients/downstream';
import type { IdentityClient } from '@shop/platform/clients/identity';
import type { InventoryClient } from '@shop/platform/clients/inventory';
import type { OrdersClient } from '@shop/platform/clients/orders';
import type { PaymentsClient } from '@shop/platform/clients/payments';
import { readConfig } from '../src/config.ts';

/** How a fake downstream answers: normally, with an error (service down), or never (hung service). */
export type Behaviour = 'ok' | 'down' | 'hang';

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

export const product = (sku: string, overrides: Partial<Product> = {}): Product => ({
  sku,
  name: `Product ${sku}`,
  description: `About ${sku}`,
  category: 'kitchen',
  price: { amount: 1999, currency: 'EUR' },
  available: 7,
  image: `/images/${sku}.svg`,
  priceVersion: 3,
  stockVersion: 2,
  ...overrides,
});

export const stock = (sku: string, available: number, version = 5): StockLevel => ({ sku, available, reserved: 0, version });

function misbehave(behaviour: Behaviour, signal?: AbortSignal): Promise<never> | undefined {
  if (behaviour === 'down') return Promise.reject(new Error('connect ECONNREFUSED'));
  if (behaviour === 'hang')
    return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
  return undefined;
}

export class FakeCatalog implements CatalogClient {
  behaviour: Behaviour = 'ok';
  categoriesBehaviour: Behaviour = 'ok';
  calls = 0;
  lastQuery: ProductSearchQuery | undefined;
  categories: Category[] = [{ slug: 'kitchen', name: 'Kitchen', count: 3 }];
  images = new Map<string, ProductImage>();

  constructor(public products: Product[] = []) {}

  async searchProducts(query: ProductSearchQuery, signal?: AbortSignal) {
    this.calls++;
    this.lastQuery = query;
    await misbehave(this.behaviour, signal);
    const { offset = 0, limit = 12 } = query;
    return { items: this.products.slice(offset, offset + limit), total: this.products.length };
  }

  async getProduct(sku: string, signal?: AbortSignal) {
    this.calls++;
    await misbehave(this.behaviour, signal);
    return this.products.find((p) => p.sku === sku) ?? null;
  }

  async listCategories(signal?: AbortSignal) {
    await misbehave(this.categoriesBehaviour, signal);
    return this.categories;
  }

  async getImage(file: string, signal?: AbortSignal) {
    this.calls++;
    await misbehave(this.behaviour, signal);
    return this.images.get(file) ?? null;
  }

  async ping(signal?: AbortSignal) {
    await misbehave(this.behaviour, signal);
  }
}

export class FakeInventory implements InventoryClient {
  behaviour: Behaviour = 'ok';
  calls = 0;
  readonly levels: Map<string, StockLevel>;

  constructor(levels: StockLevel[] = []) {
    this.levels = new Map(levels.map((l) => [l.sku, l]));
  }

  async getStock(sku: string, signal?: AbortSignal) {
    this.calls++;
    await misbehave(this.behaviour, signal);
    return this.levels.get(sku) ?? null;
  }

  async getStockBatch(skus: readonly string[], signal?: AbortSignal) {
    this.calls++;
    await misbehave(this.behaviour, signal);
    return skus.flatMap((sku) => this.levels.get(sku) ?? []);
  }

  async ping(signal?: AbortSignal) {
    await misbehave(this.behaviour, signal);
  }
}

// In-memory stand-ins for cart, identity, payments and orders, following their contracts.

const refused = (service: string, status: number, code: string, message: string) => new DownstreamError(service, status, message, code);
const down = (service: string) => new DownstreamError(service, 503, `${service} is unreachable: ECONNREFUSED`);

export interface FakeProduct {
  name: string;
  unitPrice: Money;
  stock: number;
}

export class FakeCart implements CartClient {
  down = false;
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
    if (this.down) throw down('cart');
    return this.view(cartId);
  }

  async setLine(cartId: string, sku: string, quantity: number) {
    if (this.down) throw down('cart');
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
    if (this.down) throw down('cart');
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
    if (this.down) throw down('cart');
    const cart = this.cart(cartId);
    if (cart.lines.size === 0) return;
    cart.lines.clear();
    cart.version++;
  }

  async ping() {
    if (this.down) throw down('cart');
  }
}

/** Issues real EdDSA access tokens with a key of its own; `jwks()` is what a verifier needs. */
export class FakeIdentity implements IdentityClient {
  down = false;
  accessTtlSeconds = 900;
  readonly users = new Map<string, { user: User; password: string }>();
  /** Live refresh tokens → user id; a refresh or revoke removes the token. */
  readonly refreshTokens = new Map<string, string>();
  readonly revoked: string[] = [];
  refreshes = 0;

  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK,
    readonly kid: string,
  ) {}

  static async create(): Promise<FakeIdentity> {
    const { privateKey, publicKey } = await generateKeyPair('Ed25519');
    const kid = randomUUID();
    return new FakeIdentity(privateKey, { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }, kid);
  }

  jwks() {
    return { keys: [this.publicJwk] };
  }

  /** A signed access token; the options make bad ones (expired, another issuer) for tests. */
  signAccessToken(user: User, options: { issuedAt?: number; ttlSeconds?: number; issuer?: string; audience?: string } = {}) {
    const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
    return new SignJWT({ email: user.email, name: user.name })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.kid, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(options.issuer ?? TokenClaims.issuer)
      .setAudience(options.audience ?? TokenClaims.audience)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + (options.ttlSeconds ?? this.accessTtlSeconds))
      .sign(this.privateKey);
  }

  async issue(user: User): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    this.refreshTokens.set(refreshToken, user.id);
    return { accessToken: await this.signAccessToken(user), refreshToken, expiresIn: this.accessTtlSeconds };
  }

  userByEmail(email: string): User | undefined {
    return this.users.get(email.toLowerCase())?.user;
  }

  async register(body: RegisterBody) {
    if (this.down) throw down('identity');
    if (this.users.has(body.email.toLowerCase())) throw refused('identity', 409, 'IDENTITY_EMAIL_TAKEN', 'An account with this email already exists');
    const user = { id: randomUUID(), email: body.email.toLowerCase(), name: body.name };
    this.users.set(user.email, { user, password: body.password });
    return { user, tokens: await this.issue(user) };
  }

  async signIn(body: PasswordGrantBody) {
    if (this.down) throw down('identity');
    const found = this.users.get(body.email.toLowerCase());
    if (!found || found.password !== body.password) throw refused('identity', 401, 'IDENTITY_INVALID_CREDENTIALS', 'Email or password is wrong');
    return this.issue(found.user);
  }

  async refresh(refreshToken: string) {
    if (this.down) throw down('identity');
    this.refreshes++;
    const userId = this.refreshTokens.get(refreshToken);
    const found = [...this.users.values()].find((u) => u.user.id === userId);
    if (!userId || !found) throw refused('identity', 401, 'IDENTITY_INVALID_REFRESH_TOKEN', 'The refresh token is unknown, expired or revoked');
    this.refreshTokens.delete(refreshToken);
    return this.issue(found.user);
  }

  async revoke(refreshToken: string) {
    if (this.down) throw down('identity');
    this.refreshTokens.delete(refreshToken);
    this.revoked.push(refreshToken);
  }

  async ping() {
    if (this.down) throw down('identity');
  }
}

/** Serves a FakeIdentity's key set at /.well-known/jwks.json, as identity does; `down` answers 503. */
export async function startJwksServer(identity: FakeIdentity): Promise<{ url: string; close(): Promise<void>; down: boolean }> {
  const state = { down: false };
  const server: Server = createServer((req, res) => {
    if (state.down || req.url !== '/.well-known/jwks.json') return void res.writeHead(state.down ? 503 : 404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(identity.jwks()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

const luhnValid = (digits: string) => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1 && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
};

export class FakePayments implements PaymentsClient {
  down = false;
  readonly methods: (PaymentMethod & { card: CardDetails })[] = [];

  async createPaymentMethod(card: CardDetails) {
    if (this.down) throw down('payments');
    const digits = card.cardNumber.replace(/ /g, '');
    if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits))
      throw refused('payments', 400, 'PAYMENTS_INVALID_CARD_NUMBER', 'cardNumber fails the Luhn check');
    const [mm, yy] = card.expiry.split('/').map(Number);
    if (new Date(2000 + yy!, mm!, 1) <= new Date()) throw refused('payments', 400, 'PAYMENTS_CARD_EXPIRED', `expiry ${card.expiry} is in the past`);
    const method = { paymentMethodId: randomUUID(), brand: 'visa', last4: digits.slice(-4) };
    this.methods.push({ ...method, card });
    return method;
  }

  async ping() {
    if (this.down) throw down('payments');
  }
}

export class FakeOrders implements OrdersClient {
  down = false;
  readonly orders: Order[] = [];
  readonly placed: PlaceOrderBody[] = [];
  private readonly byKey = new Map<string, Order>();

  async placeOrder(body: PlaceOrderBody) {
    if (this.down) throw down('orders');
    this.placed.push(body);
    const known = this.byKey.get(body.idempotencyKey);
    if (known) return known;
    const order = this.add(body.customerId, body.lines.map((l) => ({ ...l, lineTotal: { amount: l.unitPrice.amount * l.quantity, currency: 'EUR' } })));
    this.byKey.set(body.idempotencyKey, order);
    return order;
  }

  /** An order of `customerId`, as if placed earlier. */
  add(customerId: string, lines: Order['lines'] = []): Order {
    const now = new Date().toISOString();
    const order: Order = {
      id: randomUUID(),
      customerId,
      status: 'placed',
      lines,
      total: { amount: lines.reduce((sum, l) => sum + l.lineTotal.amount, 0), currency: 'EUR' },
      shippingAddress: { name: 'Ada', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
      history: [{ status: 'placed', at: now }],
      createdAt: now,
      version: 1,
    };
    this.orders.push(order);
    return order;
  }

  async listOrders(customerId: string) {
    if (this.down) throw down('orders');
    return this.orders.filter((o) => o.customerId === customerId);
  }

  async getOrder(orderId: string, customerId: string) {
    if (this.down) throw down('orders');
    return this.orders.find((o) => o.id === orderId && o.customerId === customerId) ?? null;
  }

  async ping() {
    if (this.down) throw down('orders');
  }
}
