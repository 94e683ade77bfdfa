import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { clientsPlugin } from '../src/clients/clients-plugin.ts';
import { createServiceClients, downstreamsReport, type DownstreamSettings } from '../src/clients/service-clients.ts';
import { createServer, type App } from '../src/server.ts';
import { FakeCatalog, FakeInventory, product, stock } from '../src/testing/fake-clients.ts';

// fetch refuses port 1: the services not replaced are unreachable at once.
const nowhere = 'http://127.0.0.1:1';
const settings: DownstreamSettings = {
  CATALOG_URL: nowhere,
  INVENTORY_URL: nowhere,
  CART_URL: nowhere,
  ORDERS_URL: nowhere,
  PAYMENTS_URL: nowhere,
  IDENTITY_URL: nowhere,
  DOWNSTREAM_TIMEOUT_MS: 30,
  BREAKER_THRESHOLD: 5,
  BREAKER_HALF_OPEN_MS: 5_000,
};

describe('the BFFs\' clients plugin', () => {
  let app: App | undefined;
  afterEach(() => app?.close());

  it("gives the catalog's pictures a circuit of their own: pictures timing out never close the catalog to the products", async () => {
    const catalog = new FakeCatalog([product('A-1')]);
    catalog.getImage = () => new Promise(() => {});
    app = createServer({ name: 'clients-test', logLevel: 'silent' });
    await app.register(clientsPlugin, { config: settings, replace: { catalog } });
    await app.ready();

    for (let i = 0; i < settings.BREAKER_THRESHOLD; i++) {
      await expect(app.clients.catalog.getImage('A-1.svg')).rejects.toMatchObject({ status: 504 });
    }
    // The pictures' circuit is open: they fail at once, without waiting out the budget.
    await expect(app.clients.catalog.getImage('A-1.svg')).rejects.toMatchObject({ name: 'DownstreamError', message: 'catalog-images circuit is open' });
    // The products are still served, and the catalog's own circuit (what /ready/downstreams reports) is closed.
    expect(await app.clients.catalog.getProduct('A-1')).toEqual(product('A-1'));
    expect(app.downstreams.get('catalog')?.circuit()).toBe('closed');
  });

  it("lists every breaker's state for /metrics, the pictures' own circuit beside the catalog's", async () => {
    const catalog = new FakeCatalog([product('A-1')]);
    catalog.getImage = () => new Promise(() => {});
    const { clients, circuits } = createServiceClients({ config: settings, replace: { catalog }, logger: pino({ level: 'silent' }) });
    for (let i = 0; i < settings.BREAKER_THRESHOLD; i++) await clients.catalog.getImage('A-1.svg').catch(() => undefined);
    expect(new Map(circuits())).toEqual(
      new Map([
        ['catalog', 'closed'], ['inventory', 'closed'], ['cart', 'closed'], ['orders', 'closed'], ['payments', 'closed'], ['identity', 'closed'],
        ['catalog-images', 'open'],
      ]),
    );
  });

  it('decorates app.clients with every service, each replacement behind its budget, and app.downstreams for the report', async () => {
    const catalog = new FakeCatalog([product('A-1')]);
    const inventory = new FakeInventory([stock('A-1', 3)]);
    app = createServer({ name: 'clients-test', logLevel: 'silent' });
    await app.register(clientsPlugin, { config: settings, timeoutsMs: { inventory: 40 }, replace: { catalog, inventory } });
    await app.ready();

    expect(Object.keys(app.clients).sort()).toEqual(['cart', 'catalog', 'identity', 'inventory', 'orders', 'payments']);
    expect(await app.clients.inventory.getStockBatch(['A-1'])).toEqual([stock('A-1', 3)]);

    // A hung service costs its own budget, not the default one, and the caller gets the real client's error.
    catalog.behaviour = 'hang';
    inventory.behaviour = 'hang';
    await expect(app.clients.catalog.getProduct('A-1')).rejects.toMatchObject({ name: 'DownstreamError', status: 504, message: 'catalog did not answer within 30 ms' });
    await expect(app.clients.inventory.getStock('A-1')).rejects.toMatchObject({ name: 'DownstreamError', status: 504, message: 'inventory did not answer within 40 ms' });

    const report = await downstreamsReport(app.downstreams);
    expect(Object.keys(report).sort()).toEqual(['cart', 'catalog', 'identity', 'inventory', 'orders', 'payments']);
    expect(report.inventory).toEqual({ circuit: 'closed', health: 'inventory did not answer within 40 ms' });
    expect(report.cart).toEqual({ circuit: 'closed', health: expect.stringMatching(/^cart is unreachable: /) });
  });
});
