import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Cart } from '@shop/contracts/api/cart';
import { TokenClaims, type PasswordGrantBody, type RegisterBody, type TokenPair, type User } from '@shop/contracts/api/identity';
import type { Money } from '@shop/contracts/money';
import type { CartClient } from '@shop/platform/clients/cart';
import type { IdentityClient } from '@shop/platform/clients/identity';
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

// In-memory stand-ins for cart and identity, following their contracts (the other services' are platform's).

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

/** Issues real EdDSA access tokens with a key of its own; `jwks()` is what a verifier needs. */
export class FakeIdentity implements IdentityClient {
  behaviour: Behaviour = 'ok';
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
    await misbehave('identity', this.behaviour);
    if (this.users.has(body.email.toLowerCase())) throw refused('identity', 409, 'IDENTITY_EMAIL_TAKEN', 'An account with this email already exists');
    const user = { id: randomUUID(), email: body.email.toLowerCase(), name: body.name };
    this.users.set(user.email, { user, password: body.password });
    return { user, tokens: await this.issue(user) };
  }

  async signIn(body: PasswordGrantBody) {
    await misbehave('identity', this.behaviour);
    const found = this.users.get(body.email.toLowerCase());
    if (!found || found.password !== body.password) throw refused('identity', 401, 'IDENTITY_INVALID_CREDENTIALS', 'Email or password is wrong');
    return this.issue(found.user);
  }

  async refresh(refreshToken: string) {
    await misbehave('identity', this.behaviour);
    this.refreshes++;
    const userId = this.refreshTokens.get(refreshToken);
    const found = [...this.users.values()].find((u) => u.user.id === userId);
    if (!userId || !found) throw refused('identity', 401, 'IDENTITY_INVALID_REFRESH_TOKEN', 'The refresh token is unknown, expired or revoked');
    this.refreshTokens.delete(refreshToken);
    return this.issue(found.user);
  }

  async revoke(refreshToken: string) {
    await misbehave('identity', this.behaviour);
    this.refreshTokens.delete(refreshToken);
    this.revoked.push(refreshToken);
  }

  async ping() {
    await misbehave('identity', this.behaviour);
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
