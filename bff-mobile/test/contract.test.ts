import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { product, stock } from '@shop/platform/testing/fake-clients';
import { goodCard, shippingAddress } from './fakes.ts';
import { appWithFakes } from './support/app.ts';
import { clientTypes, GENERATED_CLIENT_TYPES } from './support/openapi.ts';

/**
 * Contract test driven by the OpenAPI document the app serves: every answer below — success and error,
 * of every documented operation — is validated against the schema the document gives for its path,
 * method, status and media type. A route whose answers drift from its schema, an undocumented status or
 * media type, or a documented operation nobody exercised all fail here.
 */

type Method = 'get' | 'post' | 'put';
interface Case {
  name: string;
  method: Method;
  url: string;
  headers?: Record<string, string>;
  payload?: unknown;
  remoteAddress?: string;
  status: number;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

describe('responses validate against /m/v1/openapi.json', () => {
  let t: Awaited<ReturnType<typeof appWithFakes>>;
  let doc: { openapi: string; servers: unknown; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats.default(ajv);
  const exercised = new Map<string, Set<'success' | 'error'>>();

  beforeAll(async () => {
    t = await appWithFakes({
      products: [product('KIT-0001'), product('KIT-0002', { name: 'Kettle' })],
      levels: [stock('KIT-0001', 3), stock('KIT-0002', 40)],
      env: { AUTH_RATE_LIMIT_PER_MIN: '3', BODY_LIMIT_BYTES: '1024' },
    });
    const res = await t.app.inject('/m/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    doc = res.json();
    ajv.addSchema(doc as object, 'openapi');
  });
  afterAll(() => t.close());

  /** The document's path template a request URL falls under. */
  function templateOf(url: string): string {
    const path = new URL(url, 'http://x').pathname.replace(/^\/m\/v1/, '');
    const match = Object.keys(doc.paths).find((template) =>
      new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
    );
    if (!match) throw new Error(`no documented path for ${url}`);
    return match;
  }

  function validate(c: Case, res: LightMyRequestResponse) {
    const template = templateOf(c.url);
    const operation = doc.paths[template]?.[c.method];
    expect(operation, `${c.method} ${template} is documented`).toBeDefined();
    const statusKey = String(res.statusCode) in operation!.responses ? String(res.statusCode) : 'default';
    const response = operation!.responses[statusKey];
    expect(response, `${c.method} ${template} documents ${res.statusCode}`).toBeDefined();
    if (res.statusCode === 304) {
      expect(res.body).toBe('');
      expect(response!.content).toBeUndefined();
    } else {
      const media = String(res.headers['content-type']).split(';')[0]!.trim();
      expect(Object.keys(response!.content ?? {}), `${c.method} ${template} ${res.statusCode} is documented as ${media}`).toContain(media);
      const check = ajv.getSchema(`openapi#/${pointer('paths', template, c.method, 'responses', statusKey, 'content', media, 'schema')}`);
      expect(check, 'schema compiles').toBeDefined();
      const body = media.endsWith('json') ? res.json() : res.body;
      if (!check!(body)) throw new Error(`${c.name}: ${res.statusCode} does not match the document: ${ajv.errorsText(check!.errors)}\n${res.body}`);
    }
    const key = `${c.method} ${template}`;
    if (!exercised.has(key)) exercised.set(key, new Set());
    exercised.get(key)!.add(res.statusCode < 400 ? 'success' : 'error');
  }

  async function run(c: Case) {
    const res = await t.app.inject({
      method: c.method.toUpperCase() as 'GET',
      url: c.url,
      headers: c.headers,
      remoteAddress: c.remoteAddress,
      ...(c.payload === undefined ? {} : typeof c.payload === 'string' ? { payload: c.payload } : { payload: c.payload as object }),
    });
    expect(res.statusCode, `${c.name}: ${res.body}`).toBe(c.status);
    validate(c, res);
    return res;
  }

  it('every operation, its successes and its errors', async () => {
    const ada = await t.signUp('ada@example.com');
    const eve = await t.signUp('eve@example.com');
    const auth = (who: { authorization: string }, extra: Record<string, string> = {}) => ({ authorization: who.authorization, ...extra });
    const forged = { authorization: `Bearer ${await t.fakes.keys.forge({ id: ada.userId, email: ada.email, name: 'Ada' })}` };

    // auth
    const registered = await run({ name: 'register', method: 'post', url: '/m/v1/auth/register', payload: { email: 'new@example.com', password: 'correct horse', name: 'New' }, remoteAddress: '10.1.0.1', status: 201 });
    await run({ name: 'register taken', method: 'post', url: '/m/v1/auth/register', payload: { email: 'new@example.com', password: 'correct horse', name: 'New' }, remoteAddress: '10.1.0.2', status: 409 });
    await run({ name: 'register invalid', method: 'post', url: '/m/v1/auth/register', payload: { email: 'x' }, remoteAddress: '10.1.0.3', status: 400 });
    await run({ name: 'token', method: 'post', url: '/m/v1/auth/token', payload: { email: 'new@example.com', password: 'correct horse' }, remoteAddress: '10.1.0.4', status: 200 });
    await run({ name: 'token wrong', method: 'post', url: '/m/v1/auth/token', payload: { email: 'new@example.com', password: 'wrong one' }, remoteAddress: '10.1.0.5', status: 401 });
    await run({ name: 'token invalid', method: 'post', url: '/m/v1/auth/token', payload: { password: 1 }, remoteAddress: '10.1.0.6', status: 400 });
    await run({ name: 'refresh', method: 'post', url: '/m/v1/auth/refresh', payload: { refreshToken: registered.json().refreshToken }, remoteAddress: '10.1.0.7', status: 200 });
    await run({ name: 'refresh used', method: 'post', url: '/m/v1/auth/refresh', payload: { refreshToken: registered.json().refreshToken }, remoteAddress: '10.1.0.8', status: 401 });
    await run({ name: 'refresh invalid', method: 'post', url: '/m/v1/auth/refresh', payload: { refreshToken: 'short' }, remoteAddress: '10.1.0.9', status: 400 });
    for (let i = 0; i < 3; i++) await t.app.inject({ method: 'POST', url: '/m/v1/auth/token', payload: { email: 'a@b.cd', password: 'guess' }, remoteAddress: '10.1.1.1' });
    await run({ name: 'token rate limited', method: 'post', url: '/m/v1/auth/token', payload: { email: 'a@b.cd', password: 'guess' }, remoteAddress: '10.1.1.1', status: 429 });

    // catalog
    const home = await run({ name: 'home', method: 'get', url: '/m/v1/home', status: 200 });
    await run({ name: 'home unchanged', method: 'get', url: '/m/v1/home', headers: { 'if-none-match': String(home.headers.etag) }, status: 304 });
    t.fakes.catalog.behaviour = 'down';
    await run({ name: 'home, catalog down', method: 'get', url: '/m/v1/home', status: 503 });
    t.fakes.catalog.behaviour = 'ok';
    const page = await run({ name: 'products', method: 'get', url: '/m/v1/products?limit=1', status: 200 });
    await run({ name: 'products next page', method: 'get', url: `/m/v1/products?limit=1&cursor=${page.json().nextCursor}`, status: 200 });
    await run({ name: 'products unchanged', method: 'get', url: '/m/v1/products?limit=1', headers: { 'if-none-match': String(page.headers.etag) }, status: 304 });
    await run({ name: 'products bad limit', method: 'get', url: '/m/v1/products?limit=0', status: 400 });
    await run({ name: 'products bad cursor', method: 'get', url: '/m/v1/products?cursor=bogus', status: 400 });
    await run({ name: 'product', method: 'get', url: '/m/v1/products/KIT-0001?width=200&dpr=3', status: 200 });
    await run({ name: 'product missing', method: 'get', url: '/m/v1/products/NOPE-0001', status: 404 });
    await run({ name: 'product bad sku', method: 'get', url: '/m/v1/products/bad%20sku', status: 400 });
    const image = await run({ name: 'image', method: 'get', url: '/m/v1/images/KIT-0001?w=320', status: 200 });
    await run({ name: 'image unchanged', method: 'get', url: '/m/v1/images/KIT-0001?w=320', headers: { 'if-none-match': String(image.headers.etag) }, status: 304 });
    await run({ name: 'image missing', method: 'get', url: '/m/v1/images/NOPE-0001', status: 404 });
    await run({ name: 'image bad width', method: 'get', url: '/m/v1/images/KIT-0001?w=1', status: 400 });

    // cart
    await run({ name: 'set line', method: 'put', url: '/m/v1/cart/lines/KIT-0001', headers: auth(ada), payload: { quantity: 2 }, status: 200 });
    await run({ name: 'set line, too many', method: 'put', url: '/m/v1/cart/lines/KIT-0001', headers: auth(ada), payload: { quantity: 9 }, status: 409 });
    await run({ name: 'set line, unknown product', method: 'put', url: '/m/v1/cart/lines/NOPE-0001', headers: auth(ada), payload: { quantity: 1 }, status: 404 });
    await run({ name: 'set line, invalid', method: 'put', url: '/m/v1/cart/lines/KIT-0001', headers: auth(ada), payload: { quantity: 'two' }, status: 400 });
    await run({ name: 'set line, malformed', method: 'put', url: '/m/v1/cart/lines/KIT-0001', headers: auth(ada, { 'content-type': 'application/json' }), payload: '{"quantity":', status: 400 });
    await run({ name: 'set line, oversized', method: 'put', url: '/m/v1/cart/lines/KIT-0001', headers: auth(ada, { 'content-type': 'application/json' }), payload: JSON.stringify({ quantity: 1, pad: 'x'.repeat(2000) }), status: 413 });
    await run({ name: 'set line, not JSON', method: 'put', url: '/m/v1/cart/lines/KIT-0001', headers: auth(ada, { 'content-type': 'text/plain' }), payload: 'quantity=1', status: 415 });
    await run({ name: 'set line, forged token', method: 'put', url: '/m/v1/cart/lines/KIT-0001', headers: forged, payload: { quantity: 1 }, status: 401 });
    const cart = await run({ name: 'cart', method: 'get', url: '/m/v1/cart', headers: auth(ada), status: 200 });
    await run({ name: 'cart unchanged', method: 'get', url: '/m/v1/cart', headers: auth(ada, { 'if-none-match': String(cart.headers.etag) }), status: 304 });
    await run({ name: 'cart, no token', method: 'get', url: '/m/v1/cart', status: 401 });

    // checkout and orders
    const order = { shippingAddress, payment: goodCard };
    const placed = await run({ name: 'checkout', method: 'post', url: '/m/v1/checkout', headers: auth(ada, { 'idempotency-key': 'contract-key-1' }), payload: order, status: 202 });
    await run({ name: 'checkout retried', method: 'post', url: '/m/v1/checkout', headers: auth(ada, { 'idempotency-key': 'contract-key-1' }), payload: order, status: 202 });
    await run({ name: 'checkout, key reused', method: 'post', url: '/m/v1/checkout', headers: auth(ada, { 'idempotency-key': 'contract-key-1' }), payload: { ...order, shippingAddress: { ...shippingAddress, city: 'Paris' } }, status: 422 });
    await run({ name: 'checkout, empty cart', method: 'post', url: '/m/v1/checkout', headers: auth(eve, { 'idempotency-key': 'contract-key-2' }), payload: order, status: 409 });
    await run({ name: 'checkout, invalid', method: 'post', url: '/m/v1/checkout', headers: auth(ada, { 'idempotency-key': 'contract-key-3' }), payload: { shippingAddress: {}, payment: {} }, status: 400 });
    await run({ name: 'checkout, short key', method: 'post', url: '/m/v1/checkout', headers: auth(ada, { 'idempotency-key': 'short' }), payload: order, status: 400 });
    await run({ name: 'checkout, no token', method: 'post', url: '/m/v1/checkout', payload: order, status: 401 });
    const orderId = placed.json().orderId as string;
    const list = await run({ name: 'orders', method: 'get', url: '/m/v1/orders', headers: auth(ada), status: 200 });
    await run({ name: 'orders unchanged', method: 'get', url: '/m/v1/orders', headers: auth(ada, { 'if-none-match': String(list.headers.etag) }), status: 304 });
    await run({ name: 'orders, forged token', method: 'get', url: '/m/v1/orders', headers: forged, status: 401 });
    await run({ name: 'order', method: 'get', url: `/m/v1/orders/${orderId}`, headers: auth(ada), status: 200 });
    await run({ name: "order, someone else's", method: 'get', url: `/m/v1/orders/${orderId}`, headers: auth(eve), status: 404 });
    await run({ name: 'order, not an id', method: 'get', url: '/m/v1/orders/42', headers: auth(ada), status: 400 });
    await run({ name: 'order, no token', method: 'get', url: `/m/v1/orders/${orderId}`, status: 401 });

    // Every documented operation was exercised, with a success and an error.
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`));
    expect(documented.length).toBe(12);
    for (const operation of documented) expect([...(exercised.get(operation) ?? [])].sort(), operation).toEqual(['error', 'success']);
  });

  it('is OpenAPI 3.1 and the committed typed client is generated from it', async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/m/v1' }]);
    const committed = await readFile(GENERATED_CLIENT_TYPES, 'utf8');
    expect(committed, 'test/generated/api.d.ts is stale: run npm run generate:client --workspace @shop/bff-mobile').toBe(await clientTypes(doc as never));
  });

  it('has a docs page at /m/docs', async () => {
    const res = await t.app.inject('/m/docs');
    expect([200, 302]).toContain(res.statusCode);
    const page = res.statusCode === 302 ? await t.app.inject(String(res.headers.location).startsWith('/') ? String(res.headers.location) : `/m/docs/${res.headers.location}`) : res;
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger');
  });
});
