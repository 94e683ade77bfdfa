import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '@shop/platform/server';
import { buildApp } from '../../src/app.ts';
import { FakeCatalog, FakeInventory, product, stock } from '@shop/platform/testing/fake-clients';
import { testConfig } from '../fakes.ts';

let app: App | undefined;
afterEach(() => app?.close());

async function get(catalog: FakeCatalog, inventory: FakeInventory, url: string) {
  app = await buildApp(testConfig(), { clients: { catalog, inventory } });
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() };
}

describe('GET /api/products/:sku', () => {
  it('answers the product with its live stock', async () => {
    const { status, body } = await get(new FakeCatalog([product('KIT-0001')]), new FakeInventory([stock('KIT-0001', 2, 8)]), '/api/products/KIT-0001');
    expect(status).toBe(200);
    expect(body).toEqual({
      product: expect.objectContaining({ sku: 'KIT-0001', image: '/api/images/KIT-0001.svg', stock: { available: 2, status: 'low', version: 8 } }),
      degraded: [],
    });
  });

  it('asks catalog and inventory in parallel, so two slow answers cost one budget', async () => {
    const catalog = new FakeCatalog([product('KIT-0001')]);
    const inventory = new FakeInventory([stock('KIT-0001', 2)]);
    const slow = <T>(value: T) => new Promise<T>((resolve) => setTimeout(resolve, 100, value));
    catalog.getProduct = async (sku) => slow(catalog.products.find((p) => p.sku === sku) ?? null);
    inventory.getStock = async (sku) => slow(inventory.levels.get(sku) ?? null);
    // Each call takes 100 ms of a 150 ms budget: sequential calls would blow it.
    const { body } = await get(catalog, inventory, '/api/products/KIT-0001');
    expect(body.degraded).toEqual([]);
    expect(body.product.stock.status).toBe('low');
  });

  it('answers 404 with WEB_PRODUCT_NOT_FOUND naming an unknown sku', async () => {
    const { status, body } = await get(new FakeCatalog([product('KIT-0001')]), new FakeInventory(), '/api/products/NOPE-404');
    expect(status).toBe(404);
    expect(body).toEqual({ statusCode: 404, code: 'WEB_PRODUCT_NOT_FOUND', error: 'Not Found', message: 'No product with SKU NOPE-404' });
  });

  it.each(['down', 'hang'] as const)('answers the product with stock null when inventory is %s', async (behaviour) => {
    const inventory = new FakeInventory([stock('KIT-0001', 2)]);
    inventory.behaviour = behaviour;
    const { status, body } = await get(new FakeCatalog([product('KIT-0001')]), inventory, '/api/products/KIT-0001');
    expect(status).toBe(200);
    expect(body.product.stock).toBeNull();
    expect(body.degraded).toEqual([{ part: 'stock', message: 'Live stock levels are unavailable right now.' }]);
  });

  it.each(['down', 'hang'] as const)('answers 503 with a clear message when the catalog is %s', async (behaviour) => {
    const catalog = new FakeCatalog([product('KIT-0001')]);
    catalog.behaviour = behaviour;
    const { status, body } = await get(catalog, new FakeInventory(), '/api/products/KIT-0001');
    expect(status).toBe(503);
    expect(body).toEqual({
      statusCode: 503,
      code: 'WEB_CATALOG_UNAVAILABLE',
      error: 'Service Unavailable',
      message: 'The catalog is unavailable right now. Please try again shortly.',
    });
  });

  it.each(['KIT%200001', 'kit-0001', 'A', `${'X'.repeat(41)}`])('answers 400 naming the sku for %s', async (sku) => {
    const catalog = new FakeCatalog();
    const { status, body } = await get(catalog, new FakeInventory(), `/api/products/${sku}`);
    expect(status).toBe(400);
    expect(body.message).toContain('sku');
    expect(catalog.calls).toBe(0);
  });
});
