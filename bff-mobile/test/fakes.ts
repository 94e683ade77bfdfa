import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Cart } from '@shop/contracts/api/cart';
import type { Category, Product, ProductSearchQuery } from '@shop/contracts/api/catalog';
import { TokenClaims, type PasswordGrantBody, type RegisterBody, type TokenPair } from '@shop/contracts/api/identity';
import type { StockLevel } from '@shop/contracts/api/inventory';
import type { Order, PlaceOrderBody } from '@shop/contracts/api/orders';
import type { CardDetails, PaymentMethod } from '@shop/contracts/api/payments';
import { createTokenVerifier, type TokenVerifier } from '@shop/platform/auth';
import { DownstreamError } from '@shop/platform/clients/downstream';
import type { CartClient } from '@shop/platform/clients/cart';
import type { CatalogClient, ProductImage } from '@shop/platform/clients/catalog';
import type { IdentityClient } from '@shop/platform/clients/identity';
import type { InventoryClient } from '@shop/platform/clients/inventory';
import type { OrdersClient } from '@shop/platform/clients/orders';
import type { PaymentsClient } from '@shop/platform/clients/payments';
import { readConfig } from '../src/config.ts';

/** In-memory stand-ins for the backend services (unit tests only); budgets and breakers still wrap them. */

export const testConfig = (env: Record<string, string> = {}) =>
  readConfig({ LOG_LEVEL: 'silent', LIVE_ENABLED: 'false', DOWNSTREAM_TIMEOUT_MS: '500', ...env });

export type Behaviour = 'ok' | 'down';

const refuse = (service: string, status: number, code: string, message: string) => new DownstreamError(service, status, message, code);
const down = (service: string) => new Error(`${service}: connect ECONNREFUSED`);

export const product = (sku: string, overrides: Partial<Product> = {}): Product => ({
  sku,
  name: `Product ${sku}`,
  description: `About ${sku}, a fine thing to own.`,
  category: 'kitchen',
  price: { amount: 1999, currency: 'EUR' },
  available: 7,
  image: `/images/${sku}.svg`,
  priceVersion: 3,
  stockVersion: 2,
  ...overrides,
});

export const svgOf = (sku: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300"><text>${sku}</text></svg>`;

export class FakeCatalog implements CatalogClient {
  behaviour: Behaviour = 'ok';
  lastQuery: ProductSearchQuery | undefined;
  categories: Category[] = [
    { slug: 'kitchen', name: 'Kitchen', count: 3 },
    { slug: 'audio', name: 'Audio', count: 1 },
  ];

  constructor(public products: Product[] = []) {}

  private check() {
    if (this.behaviour === 'down') throw down('catalog');
  }

  async searchProducts(query: ProductSearchQuery) {
    this.check();
    this.lastQuery = query;
    const { offset = 0, limit = 12, category, query: text } = query;
    const matching = this.products.filter(
      (p) => (!category || p.category === category) && (!text || p.name.toLowerCase().includes(text.toLowerCase())),
    );
    return { items: matching.slice(offset, offset + limit), total: matching.length };
  }

  async getProduct(sku: string) {
    this.check();
    return this.products.find((p) => p.sku === sku) ?? null;
  }

  async listCategories() {
    this.check();
    return this.categories;
  }

  async getImage(file: string): Promise<ProductImage | null> {
    this.check();
    const sku = file.replace(/\.svg$/, '');
    if (!this.products.some((p) => p.sku === sku)) return null;
    return { contentType: 'image/svg+xml', body: Buffer.from(svgOf(sku)) };
  }

  async ping() {
    this.check();
  }
}

export const stock = (sku: string, available: number, version = 5): StockLevel => ({ sku, available, reserved: 0, version });

export class FakeInventory implements InventoryClient {
  behaviour: Behaviour = 'ok';
  batchCalls = 0;
  readonly levels: Map<string, StockLevel>;

  constructor(levels: StockLevel[] = []) {
    this.levels = new Map(levels.map((l) => [l.sku, l]));
  }

  set(sku: string, available: number) {
    const version = (this.levels.get(sku)?.version ?? 0) + 1;
    this.levels.set(sku, { sku, available, reserved: 0, version });
    return version;
  }

  async getStock(sku: string) {
    if (this.behaviour === 'down') throw down('inventory');
    return this.levels.get(sku) ?? null;
  }

  async getStockBatch(skus: readonly string[]) {
    this.batchCalls++;
    if (this.behaviour === 'down') throw down('inventory');
    return skus.flatMap((sku) => this.levels.get(sku) ?? []);
  }

  async ping() {
    if (this.behaviour === 'down') throw down('inventory');
  }
}

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
    if (this.behaviour === 'down') throw down('identity');
    if (this.users.has(body.email)) throw refuse('identity', 409, 'IDENTITY_EMAIL_TAKEN', 'An account with this email already exists');
    const user = { id: randomUUID(), email: body.email, name: body.name, password: body.password };
    this.users.set(body.email, user);
    return { user: { id: user.id, email: user.email, name: user.name }, tokens: await this.pair(user.id) };
  }

  async signIn(body: PasswordGrantBody) {
    if (this.behaviour === 'down') throw down('identity');
    const user = this.users.get(body.email);
    if (!user || user.password !== body.password) throw refuse('identity', 401, 'IDENTITY_INVALID_CREDENTIALS', 'Email or password is wrong');
    return this.pair(user.id);
  }

  async refresh(refreshToken: string) {
    const userId = this.refreshTokens.get(refreshToken);
    if (!userId) throw refuse('identity', 401, 'IDENTITY_INVALID_REFRESH_TOKEN', 'The refresh token is unknown, expired or revoked');
    this.refreshTokens.delete(refreshToken);
    return this.pair(userId);
  }

  async revoke(refreshToken: string) {
    this.refreshTokens.delete(refreshToken);
  }

  async ping() {}
}

export class FakeCart implements CartClient {
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
    return this.view(cartId);
  }

  async setLine(cartId: string, sku: string, quantity: number) {
    if (!this.catalog.products.some((p) => p.sku === sku)) throw refuse('cart', 404, 'CART_UNKNOWN_PRODUCT', `No product with SKU ${sku} is for sale`);
    const available = this.inventory.levels.get(sku)?.available ?? 0;
    if (quantity > available) throw refuse('cart', 409, 'CART_INSUFFICIENT_STOCK', `Only ${available} of ${sku} left; ${quantity} cannot be put in the cart`);
    const lines = this.carts.get(cartId) ?? new Map<string, number>();
    if (quantity === 0) lines.delete(sku);
    else {
      if (!lines.has(sku) && lines.size >= this.maxLines) throw refuse('cart', 409, 'CART_FULL', 'The cart is full');
      lines.set(sku, quantity);
    }
    this.carts.set(cartId, lines);
    return this.view(cartId);
  }

  async merge(cartId: string) {
    return this.view(cartId);
  }

  async clear(cartId: string) {
    this.carts.delete(cartId);
  }

  async ping() {}
}

const luhnValid = (digits: string) => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
};

export class FakePayments implements PaymentsClient {
  readonly methods: PaymentMethod[] = [];

  async createPaymentMethod(card: CardDetails) {
    const digits = card.cardNumber.replace(/\s/g, '');
    if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) {
      throw refuse('payments', 400, 'PAYMENTS_INVALID_CARD_NUMBER', 'cardNumber fails its check digit');
    }
    const method = { paymentMethodId: randomUUID(), brand: 'visa', last4: digits.slice(-4) };
    this.methods.push(method);
    return method;
  }

  async ping() {}
}

export class FakeOrders implements OrdersClient {
  readonly orders: Order[] = [];
  private readonly byKey = new Map<string, Order>();
  /** Makes placing an order slow, so concurrent requests overlap. */
  delayMs = 0;

  async placeOrder(body: PlaceOrderBody) {
    const replay = this.byKey.get(body.idempotencyKey);
    if (replay) return replay;
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const again = this.byKey.get(body.idempotencyKey);
    if (again) return again;
    const lines = body.lines.map((l) => ({ ...l, lineTotal: { amount: l.unitPrice.amount * l.quantity, currency: 'EUR' as const } }));
    const now = new Date().toISOString();
    const order: Order = {
      id: randomUUID(),
      customerId: body.customerId,
      status: 'placed',
      lines,
      total: { amount: lines.reduce((s, l) => s + l.lineTotal.amount, 0), currency: 'EUR' },
      shippingAddress: body.shippingAddress,
      history: [{ status: 'placed', at: now }],
      createdAt: now,
      version: 1,
    };
    this.orders.push(order);
    this.byKey.set(body.idempotencyKey, order);
    return order;
  }

  async listOrders(customerId: string) {
    return this.orders.filter((o) => o.customerId === customerId).reverse();
  }

  async getOrder(orderId: string, customerId: string) {
    return this.orders.find((o) => o.id === orderId && o.customerId === customerId) ?? null;
  }

  async ping() {}
}

/** A whole fake backend, wired together. */
export async function fakeBackends(products: Product[] = [], levels: StockLevel[] = []) {
  const keys = await TestKeys.start();
  const catalog = new FakeCatalog(products);
  const inventory = new FakeInventory(levels);
  const identity = new FakeIdentity(keys);
  const cart = new FakeCart(catalog, inventory);
  const payments = new FakePayments();
  const orders = new FakeOrders();
  return { keys, catalog, inventory, identity, cart, payments, orders, clients: { catalog, inventory, identity, cart, payments, orders } };
}

export const shippingAddress = { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' };
export const goodCard = { cardNumber: '4242 4242 4242 4242', expiry: '12/34', cvc: '123' };
