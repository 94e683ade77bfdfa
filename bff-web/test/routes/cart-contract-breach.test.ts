import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCartClient } from '@shop/platform/clients/cart';
import { FakeCart } from '@shop/platform/testing/fake-cart';
import { FakeIdentity } from '@shop/platform/testing/fake-identity';
import { buildApp } from '../../src/app.ts';
import type { App } from '@shop/platform/server';
import { Browser, products } from '../shop.ts';
import { testConfig } from '../fakes.ts';

// The cart service over real HTTP (a stand-in serving an in-memory cart), so bff-web checks its answers
// against the contract as it does in production. One cart's total is past the largest Money amount.
const carts = new FakeCart(products());
const oversized = new Set<string>();
let server: Server;
let app: App;

function answer(req: IncomingMessage, res: ServerResponse) {
  const match = /^\/carts\/([^/]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
  if (!match || req.method !== 'GET') return res.writeHead(404).end();
  const id = decodeURIComponent(match[1]!);
  const cart = carts.view(id);
  if (oversized.has(id)) cart.total.amount = Number.MAX_SAFE_INTEGER * 8;
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(cart));
}

const THRESHOLD = 3;
beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cart = httpCartClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  app = await buildApp(testConfig({ DOWNSTREAM_TIMEOUT_MS: '30000', BREAKER_THRESHOLD: String(THRESHOLD), BREAKER_HALF_OPEN_MS: '60000' }), {
    clients: { cart, identity: await FakeIdentity.create() },
    liveEvents: null,
  });
});
afterAll(async () => {
  await app.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a cart whose answer breaks the contract', () => {
  it("answers that shopper a clear 502, and does not open the cart circuit for every other shopper", async () => {
    const big = new Browser(app);
    const { cartId } = (await big.session()).json() as { cartId: string };
    oversized.add(cartId);

    for (let i = 0; i < THRESHOLD * 3; i++) {
      const res = await big.get('/api/cart');
      expect(res.json()).toMatchObject({ statusCode: 502, code: 'WEB_CART_UNREADABLE', message: expect.stringMatching(/^Your cart could not be read/) });
    }

    const other = new Browser(app);
    const res = await other.get('/api/cart');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ lines: [], itemCount: 0 });
    expect(app.downstreams.get('cart')?.circuit()).toBe('closed');
  });
});
