import { randomUUID } from 'node:crypto';
import type { Category, Product, ProductSearchQuery } from '@shop/contracts/api/catalog';
import type { StockLevel } from '@shop/contracts/api/inventory';
import type { Order, PlaceOrderBody } from '@shop/contracts/api/orders';
import type { CardDetails, PaymentMethod } from '@shop/contracts/api/payments';
import type { CatalogClient, ProductImage } from '../clients/catalog.ts';
import { DownstreamError } from '../clients/downstream.ts';
import type { InventoryClient } from '../clients/inventory.ts';
import type { OrdersClient } from '../clients/orders.ts';
import type { PaymentsClient } from '../clients/payments.ts';

/**
 * In-memory stand-ins for the backend services' clients, for the BFFs' unit tests only (integration
 * tests use the real services). One failure model for every fake:
 * - `ok`: answers normally;
 * - `down`: throws the DownstreamError the real client throws for a refused connection (503);
 * - `hang`: never answers, until the caller's signal aborts (the budget, in the BFFs);
 * - `slow(ms)`: answers normally after `ms`, or throws when the signal aborts first;
 * - `answers(status, body)`: throws the DownstreamError the real client makes of that answer
 *   (a 4xx carries the body's `code` and `message`; a 5xx only its status).
 */
export type Behaviour = 'ok' | 'down' | 'hang' | { slowMs: number } | { status: number; body: { code?: string; message?: string } };

/** Answers after `ms` (ms). */
export const slow = (ms: number): Behaviour => ({ slowMs: ms });
/** Answers with this status and error body, as the service would. */
export const answers = (status: number, body: { code?: string; message?: string } = {}): Behaviour => ({ status, body });

/** A 4xx the service gives for this request, as the real client reports it. */
export const refused = (service: string, status: number, code: string, message: string) => new DownstreamError(service, status, message, code);

const aborted = (signal: AbortSignal | undefined) =>
  new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));

/** Acts out `behaviour` for one call to `service`: resolves for `ok` (or after `slow`), throws as described above. */
export async function misbehave(service: string, behaviour: Behaviour, signal?: AbortSignal): Promise<void> {
  if (behaviour === 'ok') return;
  if (behaviour === 'down') throw new DownstreamError(service, 503, `${service} is unreachable: ECONNREFUSED`);
  if (behaviour === 'hang') return aborted(signal);
  if ('slowMs' in behaviour) {
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => (timer = setTimeout(resolve, behaviour.slowMs)));
    return Promise.race([done, aborted(signal)]).finally(() => clearTimeout(timer));
  }
  const { status, body } = behaviour;
  if (status >= 500) throw new DownstreamError(service, status, `${service} answered ${status}`);
  throw new DownstreamError(service, status, body.message ?? `${service} answered ${status}`, body.code);
}

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

export const svgOf = (sku: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300"><text>${sku}</text></svg>`;

export class FakeCatalog implements CatalogClient {
  behaviour: Behaviour = 'ok';
  categoriesBehaviour: Behaviour = 'ok';
  calls = 0;
  /** Calls of `listCategories` alone (not counted in `calls`). */
  categoryCalls = 0;
  lastQuery: ProductSearchQuery | undefined;
  categories: Category[] = [{ slug: 'kitchen', name: 'Kitchen', count: 3 }];
  /** Images by file name; a product's own `<sku>.svg` is drawn when `drawImages` is on. */
  images = new Map<string, ProductImage>();
  drawImages = false;

  constructor(public products: Product[] = []) {}

  /** Filters by category and name, as the catalog's search does, then pages. */
  async searchProducts(query: ProductSearchQuery, signal?: AbortSignal) {
    this.calls++;
    this.lastQuery = query;
    await misbehave('catalog', this.behaviour, signal);
    const { offset = 0, limit = 12, category, query: text } = query;
    const matching = this.products.filter(
      (p) => (!category || p.category === category) && (!text || p.name.toLowerCase().includes(text.toLowerCase())),
    );
    return { items: matching.slice(offset, offset + limit), total: matching.length };
  }

  async getProduct(sku: string, signal?: AbortSignal) {
    this.calls++;
    await misbehave('catalog', this.behaviour, signal);
    return this.products.find((p) => p.sku === sku) ?? null;
  }

  /** Prices from `products` (a price of 0 stays 0: tests of refusing unpriced lines set one). */
  async getPrices(skus: readonly string[], signal?: AbortSignal) {
    this.calls++;
    await misbehave('catalog', this.behaviour, signal);
    return this.products.filter((p) => skus.includes(p.sku)).map((p) => ({ sku: p.sku, name: p.name, price: p.price, version: 1 }));
  }

  async listCategories(signal?: AbortSignal) {
    this.categoryCalls++;
    await misbehave('catalog', this.categoriesBehaviour, signal);
    return this.categories;
  }

  async getImage(file: string, signal?: AbortSignal): Promise<ProductImage | null> {
    this.calls++;
    await misbehave('catalog', this.behaviour, signal);
    const stored = this.images.get(file);
    if (stored || !this.drawImages) return stored ?? null;
    const sku = file.replace(/\.svg$/, '');
    if (!this.products.some((p) => p.sku === sku)) return null;
    return { contentType: 'image/svg+xml', body: Buffer.from(svgOf(sku)) };
  }

  async ping(signal?: AbortSignal) {
    await misbehave('catalog', this.behaviour, signal);
  }
}

export class FakeInventory implements InventoryClient {
  behaviour: Behaviour = 'ok';
  calls = 0;
  batchCalls = 0;
  readonly levels: Map<string, StockLevel>;

  constructor(levels: StockLevel[] = []) {
    this.levels = new Map(levels.map((l) => [l.sku, l]));
  }

  /** Sets a level as inventory would (the version goes up by one); the new version. */
  set(sku: string, available: number): number {
    const version = (this.levels.get(sku)?.version ?? 0) + 1;
    this.levels.set(sku, { sku, available, reserved: 0, version });
    return version;
  }

  async getStock(sku: string, signal?: AbortSignal) {
    this.calls++;
    await misbehave('inventory', this.behaviour, signal);
    return this.levels.get(sku) ?? null;
  }

  async getStockBatch(skus: readonly string[], signal?: AbortSignal) {
    this.calls++;
    this.batchCalls++;
    await misbehave('inventory', this.behaviour, signal);
    return skus.flatMap((sku) => this.levels.get(sku) ?? []);
  }

  async ping(signal?: AbortSignal) {
    await misbehave('inventory', this.behaviour, signal);
  }
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

/** Tokenizes cards as payments does: a Luhn-valid, unexpired card gets a method; others a 400. */
export class FakePayments implements PaymentsClient {
  behaviour: Behaviour = 'ok';
  readonly methods: (PaymentMethod & { card: CardDetails })[] = [];

  async createPaymentMethod(card: CardDetails, signal?: AbortSignal) {
    await misbehave('payments', this.behaviour, signal);
    const digits = card.cardNumber.replace(/\s/g, '');
    if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits))
      throw refused('payments', 400, 'PAYMENTS_INVALID_CARD_NUMBER', 'cardNumber fails the Luhn check');
    const [mm, yy] = card.expiry.split('/').map(Number);
    if (new Date(2000 + yy!, mm!, 1) <= new Date()) throw refused('payments', 400, 'PAYMENTS_CARD_EXPIRED', `expiry ${card.expiry} is in the past`);
    const method = { paymentMethodId: randomUUID(), brand: 'visa', last4: digits.slice(-4) };
    this.methods.push({ ...method, card });
    return method;
  }

  async ping(signal?: AbortSignal) {
    await misbehave('payments', this.behaviour, signal);
  }
}

/** Places orders once per idempotency key, as orders does; `delayMs` makes placing slow so requests overlap. */
export class FakeOrders implements OrdersClient {
  behaviour: Behaviour = 'ok';
  delayMs = 0;
  readonly orders: Order[] = [];
  readonly placed: PlaceOrderBody[] = [];
  private readonly byKey = new Map<string, Order>();

  async placeOrder(body: PlaceOrderBody, signal?: AbortSignal) {
    await misbehave('orders', this.behaviour, signal);
    this.placed.push(body);
    const replay = this.byKey.get(body.idempotencyKey);
    if (replay) return replay;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const again = this.byKey.get(body.idempotencyKey);
    if (again) return again;
    const lines = body.lines.map((l) => ({ ...l, lineTotal: { amount: l.unitPrice.amount * l.quantity, currency: 'EUR' as const } }));
    const order = this.add(body.customerId, lines, body.shippingAddress);
    this.byKey.set(body.idempotencyKey, order);
    return order;
  }

  /** An order of `customerId`, as if placed earlier. */
  add(customerId: string, lines: Order['lines'] = [], shippingAddress: Order['shippingAddress'] = { name: 'Ada', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' }): Order {
    const now = new Date().toISOString();
    const order: Order = {
      id: randomUUID(),
      customerId,
      status: 'placed',
      lines,
      total: { amount: lines.reduce((sum, l) => sum + l.lineTotal.amount, 0), currency: 'EUR' },
      shippingAddress,
      history: [{ status: 'placed', at: now }],
      createdAt: now,
      version: 1,
    };
    this.orders.push(order);
    return order;
  }

  /** Newest first, as orders lists them. */
  async listOrders(customerId: string, _limit?: number, signal?: AbortSignal) {
    await misbehave('orders', this.behaviour, signal);
    return this.orders.filter((o) => o.customerId === customerId).reverse();
  }

  async getOrder(orderId: string, customerId: string, signal?: AbortSignal) {
    await misbehave('orders', this.behaviour, signal);
    return this.orders.find((o) => o.id === orderId && o.customerId === customerId) ?? null;
  }

  async ping(signal?: AbortSignal) {
    await misbehave('orders', this.behaviour, signal);
  }
}
