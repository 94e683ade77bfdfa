import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCatalogClient } from '@shop/platform/clients/catalog';
import { DownstreamError } from '@shop/platform/clients/downstream';
import { httpInventoryClient } from '@shop/platform/clients/inventory';
import { buildApp } from '../../src/app.ts';
import { product, stock } from '@shop/platform/testing/fake-clients';
import { testConfig } from '../fakes.ts';

// A stand-in service on a real port: these tests are about what goes over HTTP.
const seen: string[] = [];
let closedEarly = 0;
let server: Server;
let base: string;

function answer(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://x');
  seen.push(url.pathname + url.search);
  const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  switch (url.pathname) {
    case '/products':
      return json(200, { items: [product('KIT-0001', { available: 4 })], total: 1 });
    case '/products/KIT-0001':
      return json(200, product('KIT-0001'));
    case '/products/BAD-1':
      return json(200, { ...product('BAD-1'), price: { amount: 1.5, currency: 'EUR' } });
    case '/products/FAIL-1':
      return json(500, { message: 'db down' });
    case '/products/SLOW-1':
      res.on('close', () => closedEarly++);
      return; // never answers
    case '/categories':
      return json(200, [{ slug: 'kitchen', name: 'Kitchen', count: 1 }]);
    case '/images/KIT-0001.svg':
      return res.writeHead(200, { 'content-type': 'image/svg+xml' }).end('<svg/>');
    case '/images/HTML-1.svg':
      return res.writeHead(200, { 'content-type': 'text/html' }).end('<script>alert(1)</script>');
    case '/stock':
      return json(200, { items: url.searchParams.getAll('sku').filter((s) => s !== 'GONE-1').map((s) => stock(s, 4)) });
    case '/health':
      return json(200, { status: 'ok' });
    default:
      return json(404, { statusCode: 404, code: 'NOT_FOUND', error: 'Not Found', message: 'no' });
  }
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections(); // fetch keeps connections alive
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('catalog HTTP client', () => {
  it('sends the search as query parameters and returns the contract page', async () => {
    const page = await httpCatalogClient(base).searchProducts({ query: 'mug', sort: 'name', offset: 12, limit: 12 });
    expect(page.items[0]?.sku).toBe('KIT-0001');
    expect(seen).toContain('/products?query=mug&sort=name&offset=12&limit=12');
  });

  it('resolves an unknown product to null', async () => {
    expect(await httpCatalogClient(base).getProduct('NOPE-1')).toBeNull();
  });

  it('rejects a body that breaks the contract, naming the field', async () => {
    const err = await httpCatalogClient(base).getProduct('BAD-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownstreamError);
    expect((err as DownstreamError).status).toBe(502);
    expect((err as Error).message).toMatch(/\/price\/amount/);
  });

  it('rejects a 5xx with the status', async () => {
    await expect(httpCatalogClient(base).getProduct('FAIL-1')).rejects.toMatchObject({ status: 500 });
  });

  it('refuses an "image" that is not one', async () => {
    await expect(httpCatalogClient(base).getImage('HTML-1.svg')).rejects.toMatchObject({ status: 502 });
  });
});

describe('inventory HTTP client', () => {
  it('asks for many skus in one call and leaves unknown ones out', async () => {
    const levels = await httpInventoryClient(base).getStockBatch(['A-1', 'GONE-1', 'A-1', 'B-2']);
    expect(levels.map((l) => l.sku)).toEqual(['A-1', 'B-2']);
    expect(seen).toContain('/stock?sku=A-1&sku=GONE-1&sku=B-2');
  });
});

describe('bff-web over real HTTP clients', () => {
  it('serves a catalog page (stock from catalog\'s read model, one call) and an image from the services', async () => {
    const app = await buildApp(testConfig({ CATALOG_URL: base, INVENTORY_URL: `${base}/` }));
    try {
      const seenStockBefore = seen.filter((p) => p.startsWith('/stock'));
      const page = await app.inject('/api/catalog?query=mug');
      expect(page.statusCode).toBe(200);
      expect(seen.filter((p) => p.startsWith('/stock'))).toEqual(seenStockBefore);
      expect(page.json()).toMatchObject({
        products: [{ sku: 'KIT-0001', image: '/api/images/KIT-0001.svg', stock: { available: 4, status: 'low' } }],
        categories: [{ slug: 'kitchen' }],
        degraded: [],
      });
      const image = await app.inject('/api/images/KIT-0001.svg');
      expect(image.headers['content-type']).toBe('image/svg+xml');
      expect(image.body).toBe('<svg/>');
    } finally {
      await app.close();
    }
  });

  it('gives up on a hung service at the budget and aborts the request', async () => {
    const app = await buildApp(testConfig({ CATALOG_URL: base, INVENTORY_URL: base, DOWNSTREAM_TIMEOUT_MS: '100' }));
    try {
      const started = Date.now();
      const res = await app.inject('/api/products/SLOW-1');
      expect(res.statusCode).toBe(503);
      expect(Date.now() - started).toBeLessThan(1_000);
      await expect.poll(() => closedEarly).toBe(1);
    } finally {
      await app.close();
    }
  });
});
