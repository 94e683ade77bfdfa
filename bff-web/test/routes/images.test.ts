import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '@shop/platform/server';
import { buildApp } from '../../src/app.ts';
import { FakeCatalog, FakeInventory } from '@shop/platform/testing/fake-clients';
import { testConfig } from '../fakes.ts';

let app: App | undefined;
afterEach(() => app?.close());

const SVG = '<svg xmlns="http://www.w3.org/2000/svg"/>';

async function get(catalog: FakeCatalog, url: string) {
  app = await buildApp(testConfig(), { clients: { catalog, inventory: new FakeInventory() } });
  return app.inject({ method: 'GET', url });
}

describe('GET /api/images/:file', () => {
  it('passes the catalog image through with its type and a long cache lifetime', async () => {
    const catalog = new FakeCatalog();
    catalog.images.set('KIT-0001.svg', { contentType: 'image/svg+xml', body: Buffer.from(SVG) });
    const res = await get(catalog, '/api/images/KIT-0001.svg');

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.headers['cache-control']).toMatch(/public, max-age=86400/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toBe(SVG);
  });

  it('answers 404 for an image the catalog does not have', async () => {
    const res = await get(new FakeCatalog(), '/api/images/NOPE-1.svg');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'WEB_IMAGE_NOT_FOUND' });
  });

  it('answers 503 when the catalog is down', async () => {
    const catalog = new FakeCatalog();
    catalog.behaviour = 'down';
    const res = await get(catalog, '/api/images/KIT-0001.svg');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'WEB_IMAGE_UNAVAILABLE' });
  });

  it.each(['..%2Fetc%2Fpasswd', '..%2F..%2Fetc%2Fpasswd.svg', 'KIT-0001.png', 'kit.svg', '%2Fetc%2Fpasswd'])(
    'answers 400 naming the file for %s, without asking the catalog',
    async (file) => {
      const catalog = new FakeCatalog();
      const res = await get(catalog, `/api/images/${file}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain('file');
      expect(catalog.calls).toBe(0);
    },
  );

  it('never reaches the catalog for an unencoded ../ path', async () => {
    const catalog = new FakeCatalog();
    const res = await get(catalog, '/api/images/../etc/passwd');
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(catalog.calls).toBe(0);
  });
});
