import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { createTokenVerifier } from '@shop/platform/auth';
import type { CheckoutBody } from '@shop/contracts/api/checkout';
import type { App } from '@shop/platform/server';
import { buildApp } from '../src/app.ts';
import type { LiveEventSource } from '@shop/platform/event-source';
import { FakeCatalog, FakeInventory, FakeOrders, FakePayments } from '@shop/platform/testing/fake-clients';
import { FakeIdentity, startJwksServer } from '@shop/platform/testing/fake-identity';
import { FakeCart, type FakeProduct } from '@shop/platform/testing/fake-cart';
import { FRAGMENT_REPORTS_KEY_PREFIX, SESSION_KEY_PREFIX, testConfig } from './fakes.ts';

/** bff-web with in-memory services behind it, sessions in the real Redis, tokens checked against a real JWKS. */
export interface Shop {
  app: App;
  cart: FakeCart;
  identity: FakeIdentity;
  payments: FakePayments;
  orders: FakeOrders;
  jwks: Awaited<ReturnType<typeof startJwksServer>>;
  /** `remoteAddress`: the address the request seems to come from (default 127.0.0.1). */
  browser(headers?: Record<string, string>, remoteAddress?: string): Browser;
  close(): Promise<void>;
}

export const products = () =>
  new Map<string, FakeProduct>([
    ['KIT-0001', { name: 'Chef knife', unitPrice: { amount: 1999, currency: 'EUR' }, stock: 5 }],
    ['KIT-0002', { name: 'Cutting board', unitPrice: { amount: 999, currency: 'EUR' }, stock: 2 }],
  ]);

export const checkoutForm = (): CheckoutBody => ({
  shippingAddress: { name: 'Ada Lovelace', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
  payment: { cardNumber: '4242 4242 4242 4242', expiry: '12/39', cvc: '123' },
});

/** `liveEvents`: an in-memory feed; omitted: none; `'kafka'`: the real consumer (set KAFKA_BROKERS etc. in `env`). */
export async function startShop(options: { liveEvents?: LiveEventSource | null | 'kafka'; env?: Record<string, string> } = {}): Promise<Shop> {
  const identity = await FakeIdentity.create();
  const jwks = await startJwksServer(identity);
  const cart = new FakeCart(products());
  const payments = new FakePayments();
  const orders = new FakeOrders();
  const app = await buildApp(testConfig(options.env), {
    clients: { catalog: new FakeCatalog(), inventory: new FakeInventory(), cart, identity, payments, orders },
    tokens: createTokenVerifier({ jwksUrl: jwks.url }),
    ...(options.liveEvents === 'kafka' ? {} : { liveEvents: options.liveEvents ?? null }),
  });
  return {
    app,
    cart,
    identity,
    payments,
    orders,
    jwks,
    browser: (headers, remoteAddress) => new Browser(app, headers, remoteAddress),
    async close() {
      await app.close();
      await jwks.close();
      await forgetSessions();
    },
  };
}

/** Drops this test file's sessions (and sign-in attempt counters, fragment reports) from Redis (they would otherwise live their 30 days). */
async function forgetSessions(): Promise<void> {
  const redis = new Redis(testConfig().REDIS_URL);
  try {
    const keys = [...(await redis.keys(`${SESSION_KEY_PREFIX}*`)), ...(await redis.keys(`${FRAGMENT_REPORTS_KEY_PREFIX}*`))];
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A browser's view: keeps the `sid` cookie it is given and sends the CSRF token the session answered. */
export class Browser {
  sid: string | undefined;
  csrf: string | undefined;

  constructor(
    private readonly app: App,
    private readonly headers: Record<string, string> = {},
    private readonly remoteAddress?: string,
  ) {}

  async request(
    method: Method,
    url: string,
    { body, headers = {}, csrf = true }: { body?: unknown; headers?: Record<string, string>; csrf?: boolean } = {},
  ): Promise<LightMyRequestResponse> {
    const sent: Record<string, string> = { ...this.headers, ...headers };
    if (this.sid) sent.cookie = `sid=${this.sid}`;
    if (csrf && this.csrf && method !== 'GET') sent['x-csrf-token'] = this.csrf;
    const res = await this.app.inject({
      method,
      url,
      headers: sent,
      ...(this.remoteAddress ? { remoteAddress: this.remoteAddress } : {}),
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
    });
    const cookie = (res.cookies as { name: string; value: string }[]).find((c) => c.name === 'sid');
    if (cookie) this.sid = cookie.value;
    if (res.headers['content-type']?.toString().startsWith('application/json')) {
      const json = res.json() as { csrfToken?: unknown };
      if (typeof json?.csrfToken === 'string') this.csrf = json.csrfToken;
    }
    return res;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown, headers?: Record<string, string>) => this.request('POST', url, { body: body ?? {}, headers });
  put = (url: string, body: unknown) => this.request('PUT', url, { body });

  async session() {
    return this.get('/api/session');
  }

  async register(email: string, password = 'correct horse battery', name = 'Ada') {
    if (!this.csrf) await this.session();
    return this.post('/api/session/register', { email, password, name });
  }

  async signIn(email: string, password = 'correct horse battery') {
    if (!this.csrf) await this.session();
    return this.post('/api/session/sign-in', { email, password });
  }
}
