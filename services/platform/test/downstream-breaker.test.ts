import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { httpCartClient, guardCart } from '../src/clients/cart.ts';
import { httpIdentityClient, guardIdentity } from '../src/clients/identity.ts';
import { createDownstream, isContractBreach, isOverloaded, retryAfterSeconds } from '../src/clients/downstream.ts';

// A stand-in cart and identity on a real port: what counts against a circuit is decided by what comes over HTTP.
const MAX_MONEY = Number.MAX_SAFE_INTEGER;
const cart = (id: string, amount: number) => ({ id, lines: [], total: { amount, currency: 'EUR' }, itemCount: 0, version: 1 });
const HUGE = 'guest-00000000-0000-4000-8000-000000000001';
const REFUSED = 'guest-00000000-0000-4000-8000-000000000002';
const BROKEN = 'guest-00000000-0000-4000-8000-000000000003';
const SHOPPER = 'guest-00000000-0000-4000-8000-000000000004';
let server: Server;
let base: string;

function answer(req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  if (path === `/carts/${HUGE}`) return json(200, cart(HUGE, MAX_MONEY * 4)); // beyond the largest Money: breaks the contract
  if (path.startsWith(`/carts/${REFUSED}/`)) return json(409, { code: 'CART_FULL', message: 'The cart is full' });
  if (path === `/carts/${BROKEN}`) return json(500, { message: 'db down' });
  if (path.startsWith('/carts/')) return json(200, cart(decodeURIComponent(path.slice('/carts/'.length)), 100));
  if (path === '/users') return json(503, { message: 'busy' }, { 'retry-after': '2' });
  return json(404, { message: 'no' });
}

beforeAll(async () => {
  server = createHttpServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const THRESHOLD = 3;
const guard = (name: string) =>
  createDownstream({ name, timeoutMs: 30_000, breakerThreshold: THRESHOLD, halfOpenAfterMs: 60_000, logger: pino({ level: 'silent' }) });

describe("a downstream's circuit", () => {
  it("does not open on answers that break the contract for one caller's data: other callers still get their carts", async () => {
    const downstream = guard('cart');
    const client = guardCart(httpCartClient(base), downstream);
    for (let i = 0; i < THRESHOLD * 3; i++) {
      const err = await client.getCart(HUGE).catch((e: unknown) => e);
      expect(isContractBreach(err)).toBe(true);
      expect(err).toMatchObject({ status: 502, message: expect.stringContaining(`cart broke its contract on GET /carts/${HUGE}: /total/amount`) });
    }
    expect(downstream.circuit()).toBe('closed');
    expect(await client.getCart(SHOPPER)).toMatchObject({ id: SHOPPER });
  });

  it('does not open on 4xx refusals, and does open on 5xx failures', async () => {
    const downstream = guard('cart');
    const client = guardCart(httpCartClient(base), downstream);
    for (let i = 0; i < THRESHOLD * 3; i++) await expect(client.setLine(REFUSED, 'A-1', 1)).rejects.toMatchObject({ status: 409, code: 'CART_FULL' });
    expect(downstream.circuit()).toBe('closed');
    for (let i = 0; i < THRESHOLD; i++) await expect(client.getCart(BROKEN)).rejects.toMatchObject({ status: 500 });
    expect(downstream.circuit()).toBe('open');
    await expect(client.getCart(SHOPPER)).rejects.toMatchObject({ status: 503, message: 'cart circuit is open' });
  });

  it('does not open on a service shedding load (503 with Retry-After), and passes the delay on', async () => {
    const downstream = guard('identity');
    const client = guardIdentity(httpIdentityClient(base), downstream);
    for (let i = 0; i < THRESHOLD * 3; i++) {
      const err = await client.register({ email: 'a@example.com', password: 'long enough', name: 'A' }).catch((e: unknown) => e);
      expect(isOverloaded(err)).toBe(true);
      expect(err).toMatchObject({ status: 503, retryAfterS: 2 });
    }
    expect(downstream.circuit()).toBe('closed');
  });
});

describe('retryAfterSeconds', () => {
  it('reads delay-seconds and HTTP-dates (RFC 9110), and nothing else', () => {
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10);
    expect(retryAfterSeconds(null)).toBeUndefined();
    expect(retryAfterSeconds('soon')).toBeUndefined();
  });
});
