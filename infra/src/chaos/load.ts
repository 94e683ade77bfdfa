import { randomUUID } from 'node:crypto';
import type { OpCount } from './invariants.ts';

/** Where the load sends its requests: every URL on the loopback, the run's own ports. */
export interface LoadTargets {
  bffWeb: string;
  bffMobile: string;
  catalog: string;
  inventory: string;
  /** The run's operator token for the admin APIs (known once identity started). */
  operatorToken: () => string;
}

/** The product whose price and stock the operators keep changing, and that every live client watches. */
export const WATCHED_SKU = 'KIT-0001';
/** Products the shoppers buy; their stock is never set by the load, so their conservation is checked. */
export const CHECKOUT_SKUS = ['AUD-0001', 'OUT-0003', 'FIT-0007', 'LGT-0002'];

export const CARDS = {
  accepted: '4242 4242 4242 4242',
  declined: '4000 0000 0000 0002',
  timeout: '4000 0000 0000 0119',
} as const;
const PASSWORD = 'correct horse battery staple';
const REQUEST_BUDGET_MS = 5_000;
/** Shoppers signed in once at the start; each checkout uses one of them (and every tenth signs up anew). */
const RETURNING_SHOPPERS = 4;

/** Every kind of operation the load counts, in the order the table prints them. */
export const OP_KINDS = ['web', 'mobile', 'stock', 'price', 'guest-cart', 'sign-up', 'buy-accepted', 'buy-declined', 'buy-timeout'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_BUDGET_MS),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  return res;
}

/** A card expiry two years ahead, as MM/YY. */
const expiry = () => `12/${String((new Date().getFullYear() + 2) % 100).padStart(2, '0')}`;

/**
 * A steady mixed load, bounded by `stop()`: browsing both BFFs, an operator changing the watched product's
 * stock and price every 200 ms, a guest filling a cart on bff-web, and checkouts through bff-mobile with
 * accepted, declined and timing-out cards. Counts each kind's completed and failed operations per window.
 */
export class Load {
  private counts: Record<string, OpCount> = {};
  private running = false;
  private workers: Promise<void>[] = [];
  private shoppers: string[] = [];
  private lastSet = { price: 0, available: 0 };

  constructor(private readonly t: LoadTargets) {}

  /** Headers of an admin API call: the run's operator token. */
  private admin() {
    return { authorization: `Bearer ${this.t.operatorToken()}` };
  }

  /** Registers the returning shoppers (through bff-mobile) once, before the first window. */
  async prepare(): Promise<void> {
    for (let i = 0; i < RETURNING_SHOPPERS; i++) this.shoppers.push(await this.signUp());
  }

  /** The access token of a returning shopper, for an app's live socket. */
  async anyToken(): Promise<string> {
    return this.shoppers[0] ?? this.signUp();
  }

  /** Starts a new window (every kind counted from zero, so a kind that got nothing done shows 0) and the workers. */
  start(): void {
    this.counts = Object.fromEntries(OP_KINDS.map((k) => [k, { ok: 0, failed: 0 }]));
    this.running = true;
    this.workers = [this.browse(), this.operate(), this.guestCart(), this.checkouts()];
  }

  /** Stops the workers, waits for operations in flight, and returns the window's counts. */
  async stop(): Promise<Record<string, OpCount>> {
    this.running = false;
    await Promise.all(this.workers);
    return this.counts;
  }

  /** The last stock and price the operator worker set. */
  get lastOperatorValues() {
    return this.lastSet;
  }

  private async op(kind: string, work: () => Promise<unknown>): Promise<void> {
    const c = (this.counts[kind] ??= { ok: 0, failed: 0 });
    try {
      await work();
      c.ok++;
    } catch {
      c.failed++;
      await sleep(200); // a failing dependency is not hammered
    }
  }

  private async browse() {
    for (let i = 0; this.running; i++) {
      await this.op('web', () => call('GET', `${this.t.bffWeb}/api/catalog?page=${(i % 4) + 1}&pageSize=12`).then((r) => r.json()));
      await this.op('mobile', () => call('GET', `${this.t.bffMobile}/m/v1/products?limit=12`).then((r) => r.json()));
      await sleep(100);
    }
  }

  private async operate() {
    while (this.running) {
      const available = 10 + Math.floor(Math.random() * 80);
      const price = 1000 + Math.floor(Math.random() * 9000);
      await this.op('stock', async () => {
        await call('PUT', `${this.t.inventory}/stock/${WATCHED_SKU}`, { available }, this.admin());
        this.lastSet.available = available;
      });
      await this.op('price', async () => {
        await call('PUT', `${this.t.catalog}/products/${WATCHED_SKU}/price`, { amount: price, currency: 'EUR' }, this.admin());
        this.lastSet.price = price;
      });
      await sleep(200);
    }
  }

  /** A guest on the web: a cookie session, then lines in the cart (guests cannot check out: sign-in comes first). */
  private async guestCart() {
    let cookie = '';
    let csrf = '';
    for (let i = 0; this.running; i++) {
      await this.op('guest-cart', async () => {
        if (!cookie) {
          const res = await call('GET', `${this.t.bffWeb}/api/session`);
          cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
          csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
        }
        const sku = CHECKOUT_SKUS[i % CHECKOUT_SKUS.length];
        await call('PUT', `${this.t.bffWeb}/api/cart/lines/${sku}`, { quantity: 1 + (i % 3) }, { cookie, 'x-csrf-token': csrf }).catch((err: Error) => {
          if (/ 40[13] /.test(err.message)) cookie = ''; // the session was lost: start a new one
          throw err;
        });
      });
      await sleep(500);
    }
  }

  private async signUp(): Promise<string> {
    const email = `chaos-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}@example.com`;
    const res = await call('POST', `${this.t.bffMobile}/m/v1/auth/register`, { email, password: PASSWORD, name: 'Chaos Shopper' });
    return ((await res.json()) as { accessToken: string }).accessToken;
  }

  private async checkouts() {
    const cards = Object.entries(CARDS);
    for (let i = 0; this.running; i++) {
      const [outcome, cardNumber] = cards[i % cards.length]!;
      let token = this.shoppers[i % this.shoppers.length]!;
      if (i % 10 === 9) await this.op('sign-up', async () => { token = await this.signUp(); });
      await this.op(`buy-${outcome}`, () => this.checkOut(token, CHECKOUT_SKUS[i % CHECKOUT_SKUS.length]!, cardNumber));
      // About one checkout a second: a steady stream a two-core machine carries, not a stress test.
      await sleep(1_000);
    }
  }

  /** One checkout of one unit of `sku` through bff-mobile; resolves to the order id. */
  private async checkOut(token: string, sku: string, cardNumber: string): Promise<string> {
    const auth = { authorization: `Bearer ${token}` };
    await call('PUT', `${this.t.bffMobile}/m/v1/cart/lines/${sku}`, { quantity: 1 }, auth);
    const res = await call('POST', `${this.t.bffMobile}/m/v1/checkout`, {
      shippingAddress: { name: 'Ada Lovelace', line1: '1 Main Street', city: 'Dublin', postalCode: 'D02 X285', country: 'IE' },
      payment: { cardNumber, expiry: expiry(), cvc: '123' },
    }, { ...auth, 'idempotency-key': randomUUID() });
    return ((await res.json()) as { orderId: string }).orderId;
  }

  /** Checks out once with an accepted card and resolves when the checkout answers: a saga is then in flight. */
  async orderInFlight(): Promise<string> {
    return this.checkOut(await this.anyToken(), CHECKOUT_SKUS[1]!, CARDS.accepted);
  }

  /**
   * Warms the system up before the first row: checks out once with an accepted card and waits (at most
   * `budgetMs`) until the saga has carried the order to a final state. Resolves to that state, or `undefined`.
   */
  async firstOrder(budgetMs: number): Promise<string | undefined> {
    const token = await this.anyToken();
    const id = await this.checkOut(token, CHECKOUT_SKUS[0]!, CARDS.accepted);
    const deadline = Date.now() + budgetMs;
    while (Date.now() < deadline) {
      const res = await call('GET', `${this.t.bffMobile}/m/v1/orders/${id}`, undefined, { authorization: `Bearer ${token}` }).catch(() => undefined);
      const status = res ? ((await res.json()) as { status: string }).status : undefined;
      if (status && ['confirmed', 'rejected', 'cancelled'].includes(status)) return status;
      await sleep(1_000);
    }
    return undefined;
  }
}
