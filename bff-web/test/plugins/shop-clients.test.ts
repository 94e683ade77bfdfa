import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderList } from '@shop/contracts/api/orders';
import { httpCartClient } from '@shop/platform/clients/cart';
import { DownstreamError } from '@shop/platform/clients/downstream';
import { httpIdentityClient } from '@shop/platform/clients/identity';
import { httpOrdersClient } from '@shop/platform/clients/orders';
import { httpPaymentsClient } from '@shop/platform/clients/payments';
import { FakeOrders } from '@shop/platform/testing/fake-clients';

// Stand-ins for cart, identity, payments and orders on a real port: these tests are about what goes over HTTP.
const requests: { method: string; path: string; body: unknown }[] = [];
let server: Server;
let base: string;

const CART_ID = `user-${randomUUID()}`;
const cart = (id: string) => ({ id, lines: [], total: { amount: 0, currency: 'EUR' }, itemCount: 0, version: 2 });
const order = new FakeOrders().add(randomUUID());
const refusal = (status: number, code: string, message: string) => ({ statusCode: status, code, error: 'x', message });

function answer(req: IncomingMessage, res: ServerResponse, body: unknown) {
  const url = new URL(req.url ?? '/', 'http://x');
  requests.push({ method: req.method!, path: url.pathname + url.search, body });
  const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  const route = `${req.method} ${url.pathname}`;
  switch (route) {
    case `GET /carts/${CART_ID}`:
      return json(200, cart(CART_ID));
    case `PUT /carts/${CART_ID}/lines/KIT-0001`:
      return json(200, cart(CART_ID));
    case `PUT /carts/${CART_ID}/lines/LOW-0001`:
      return json(409, refusal(409, 'CART_INSUFFICIENT_STOCK', 'Only 1 of LOW-0001 left'));
    case `PUT /carts/${CART_ID}/lines/BAD-0001`:
      return json(200, { ...cart(CART_ID), version: 'two' });
    case `POST /carts/${CART_ID}/merge`:
      return json(200, cart(CART_ID));
    case 'POST /tokens':
      return json(401, refusal(401, 'IDENTITY_INVALID_CREDENTIALS', 'Email or password is wrong'));
    case 'POST /tokens/revoke':
      return res.writeHead(204).end();
    case 'POST /tokens/refresh':
      return json(500, { message: 'stack trace with secrets' });
    case 'POST /payment-methods':
      return json(201, { paymentMethodId: randomUUID(), brand: 'visa', last4: '4242' });
    case 'POST /orders':
      return json(202, order);
    case 'GET /orders':
      return json(200, { items: [order] } satisfies OrderList);
    case `GET /orders/${order.id}`:
      return json(200, order);
    default:
      return json(404, refusal(404, 'NOT_FOUND', 'no'));
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => answer(req, res, raw ? JSON.parse(raw) : undefined));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const last = () => requests.at(-1)!;

describe('cart HTTP client', () => {
  it('reads, sets lines and merges over the contract paths', async () => {
    const client = httpCartClient(base);
    expect(await client.getCart(CART_ID)).toMatchObject({ id: CART_ID, version: 2 });
    await client.setLine(CART_ID, 'KIT-0001', 3);
    expect(last()).toEqual({ method: 'PUT', path: `/carts/${CART_ID}/lines/KIT-0001`, body: { quantity: 3 } });
    await client.merge(CART_ID, 'guest-00000000-0000-0000-0000-000000000000');
    expect(last()).toEqual({ method: 'POST', path: `/carts/${CART_ID}/merge`, body: { from: 'guest-00000000-0000-0000-0000-000000000000' } });
  });

  it('reads a cart the service does not know as empty', async () => {
    const id = `guest-${randomUUID()}`;
    expect(await httpCartClient(base).getCart(id)).toEqual({ id, lines: [], total: { amount: 0, currency: 'EUR' }, itemCount: 0, version: 0 });
  });

  it("carries a refusal's status, code and message", async () => {
    const err = await httpCartClient(base).setLine(CART_ID, 'LOW-0001', 2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownstreamError);
    expect(err).toMatchObject({ status: 409, code: 'CART_INSUFFICIENT_STOCK', message: 'Only 1 of LOW-0001 left' });
  });

  it('rejects an answer that breaks the contract with a 502 naming the field', async () => {
    await expect(httpCartClient(base).setLine(CART_ID, 'BAD-0001', 1)).rejects.toMatchObject({ status: 502, message: /\/version/ });
  });
});

describe('identity HTTP client', () => {
  it('passes a 401 on with its code, and hides what a 5xx says', async () => {
    const client = httpIdentityClient(base);
    await expect(client.signIn({ email: 'a@b.de', password: 'nope' })).rejects.toMatchObject({ status: 401, code: 'IDENTITY_INVALID_CREDENTIALS' });
    const err = (await client.refresh('x'.repeat(43)).catch((e: unknown) => e)) as DownstreamError;
    expect(err.status).toBe(500);
    expect(err.message).not.toMatch(/secrets/);
  });

  it('revokes with a 204', async () => {
    await expect(httpIdentityClient(base).revoke('r'.repeat(43))).resolves.toBeUndefined();
    expect(last()).toEqual({ method: 'POST', path: '/tokens/revoke', body: { refreshToken: 'r'.repeat(43) } });
  });
});

describe('payments and orders HTTP clients', () => {
  it('tokenizes a card', async () => {
    const card = { cardNumber: '4242 4242 4242 4242', expiry: '12/39', cvc: '123' };
    expect(await httpPaymentsClient(base).createPaymentMethod(card)).toMatchObject({ brand: 'visa', last4: '4242' });
    expect(last()).toEqual({ method: 'POST', path: '/payment-methods', body: card });
  });

  it("names the customer on every read, and resolves someone else's order to null", async () => {
    const client = httpOrdersClient(base);
    expect(await client.listOrders(order.customerId)).toEqual([order]);
    expect(last().path).toBe(`/orders?customerId=${order.customerId}`);
    expect(await client.getOrder(order.id, order.customerId)).toEqual(order);
    expect(last().path).toBe(`/orders/${order.id}?customerId=${order.customerId}`);
    expect(await client.getOrder(randomUUID(), order.customerId)).toBeNull();
  });
});
