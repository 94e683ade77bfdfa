import { describe, expect, it } from 'vitest';
import type { Session } from '@shop/contracts/api/web';
import { ApiRequestError, createApiClient, CSRF_HEADER, isRetryable } from './api-client.ts';

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

const session = (csrfToken: string, user: Session['user'] = null): Session => ({ user, cartId: 'guest-1', csrfToken });

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A stand-in for bff-web: answers from a script and records what the client sent. */
function fakeBff(answer: (call: Call, calls: Call[]) => Response) {
  const calls: Call[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call: Call = {
      method: init.method ?? 'GET',
      url: String(input),
      headers: (init.headers ?? {}) as Record<string, string>,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    return answer(call, calls);
  }) as typeof fetch;
  return { calls, client: createApiClient('/api', fetchFn) };
}

const cart = { id: 'guest-1', lines: [], total: { amount: 0, currency: 'EUR' }, itemCount: 0, version: 1 };

describe('api client', () => {
  it('fetches the session before the first write and sends its CSRF token', async () => {
    const { calls, client } = fakeBff((call) => (call.url === '/api/session' ? json(200, session('t-1')) : json(200, cart)));
    await client.send('PUT', '/cart/lines/KIT-0001', { quantity: 1 });
    await client.send('PUT', '/cart/lines/KIT-0002', { quantity: 1 });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/session',
      'PUT /api/cart/lines/KIT-0001',
      'PUT /api/cart/lines/KIT-0002',
    ]);
    expect(calls[1]!.headers[CSRF_HEADER]).toBe('t-1');
    expect(calls[1]!.headers['content-type']).toBe('application/json');
    expect(calls[1]!.body).toEqual({ quantity: 1 });
    expect(calls[2]!.headers[CSRF_HEADER]).toBe('t-1');
  });

  it('shares one session request between concurrent first writes', async () => {
    const { calls, client } = fakeBff((call) => (call.url === '/api/session' ? json(200, session('t-1')) : json(200, cart)));
    await Promise.all([client.send('PUT', '/cart/lines/A1', { quantity: 1 }), client.send('PUT', '/cart/lines/B1', { quantity: 1 })]);
    expect(calls.filter((c) => c.url === '/api/session')).toHaveLength(1);
  });

  it('uses the token of a session another call returned', async () => {
    const { calls, client } = fakeBff(() => json(200, cart));
    client.remember(session('from-sign-in'));
    await client.send('POST', '/session/sign-out');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers[CSRF_HEADER]).toBe('from-sign-in');
  });

  it('refreshes a stale CSRF token and retries the write once', async () => {
    let sessions = 1; // the page holds t-1; the server has moved on
    const { calls, client } = fakeBff((call) => {
      if (call.url === '/api/session') return json(200, session(`t-${++sessions}`));
      if (call.headers[CSRF_HEADER] === 't-1') {
        return json(403, { statusCode: 403, code: 'WEB_CSRF_TOKEN_INVALID', error: 'Forbidden', message: 'stale' });
      }
      return json(200, cart);
    });
    client.remember(session('t-1'));
    await expect(client.send('PUT', '/cart/lines/KIT-0001', { quantity: 2 })).resolves.toEqual(cart);
    expect(calls.map((c) => `${c.method} ${c.url} ${c.headers[CSRF_HEADER] ?? ''}`.trim())).toEqual([
      'PUT /api/cart/lines/KIT-0001 t-1',
      'GET /api/session',
      'PUT /api/cart/lines/KIT-0001 t-2',
    ]);
    expect(calls[2]!.body).toEqual({ quantity: 2 });
  });

  it('gives up after one retry, and does not retry other 403s', async () => {
    const { calls, client } = fakeBff((call) => {
      if (call.url === '/api/session') return json(200, session('t'));
      if (call.url === '/api/checkout') return json(403, { statusCode: 403, code: 'WEB_CSRF_TOKEN_INVALID', error: 'Forbidden', message: 'stale' });
      return json(403, { statusCode: 403, code: 'WEB_FORBIDDEN', error: 'Forbidden', message: 'no' });
    });
    await expect(client.send('POST', '/checkout', {})).rejects.toMatchObject({ status: 403, code: 'WEB_CSRF_TOKEN_INVALID' });
    expect(calls.filter((c) => c.url === '/api/checkout')).toHaveLength(2);
    await expect(client.send('PUT', '/cart/lines/A1', { quantity: 1 })).rejects.toMatchObject({ code: 'WEB_FORBIDDEN' });
    expect(calls.filter((c) => c.url === '/api/cart/lines/A1')).toHaveLength(1);
  });

  it('fetches the session again after forget()', async () => {
    let sessions = 0;
    const { calls, client } = fakeBff((call) => (call.url === '/api/session' ? json(200, session(`t-${++sessions}`)) : json(200, cart)));
    client.remember(session('old'));
    client.forget();
    await client.send('PUT', '/cart/lines/A1', { quantity: 1 });
    expect(calls.map((c) => c.headers[CSRF_HEADER])).toEqual([undefined, 't-1']);
  });

  it('recovers from a failed session request on the next write', async () => {
    let down = true;
    const { client } = fakeBff((call) => {
      if (call.url === '/api/session') return down ? json(503, { statusCode: 503, code: 'X', error: 'Unavailable', message: 'down' }) : json(200, session('t'));
      return json(200, cart);
    });
    await expect(client.send('PUT', '/cart/lines/A1', { quantity: 1 })).rejects.toMatchObject({ status: 503 });
    down = false;
    await expect(client.send('PUT', '/cart/lines/A1', { quantity: 1 })).resolves.toEqual(cart);
  });

  it('turns error answers into ApiRequestError with code, message and form fields', async () => {
    const { client } = fakeBff(() =>
      json(400, {
        statusCode: 400,
        code: 'WEB_CHECKOUT_INVALID',
        error: 'Bad Request',
        message: 'Some fields need attention',
        fields: { 'shippingAddress/postalCode': 'Enter a postal code' },
      }),
    );
    client.remember(session('t'));
    const error = await client.send('POST', '/checkout', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({
      status: 400,
      code: 'WEB_CHECKOUT_INVALID',
      message: 'Some fields need attention',
      fields: { 'shippingAddress/postalCode': 'Enter a postal code' },
    });
  });

  it('names the status when the error has no JSON body', async () => {
    const { client } = fakeBff(() => new Response('<html>bad gateway</html>', { status: 502 }));
    await expect(client.get('/cart')).rejects.toMatchObject({ status: 502, code: undefined, message: 'Request failed (502)' });
  });

  it('sends no CSRF token on reads', async () => {
    const { calls, client } = fakeBff(() => json(200, cart));
    await client.get('/cart');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers[CSRF_HEADER]).toBeUndefined();
  });

  it('only network errors and 5xx are worth retrying', () => {
    expect(isRetryable(new TypeError('Failed to fetch'))).toBe(true);
    expect(isRetryable(new ApiRequestError(503, 'X', 'down'))).toBe(true);
    expect(isRetryable(new ApiRequestError(409, 'CART_INSUFFICIENT_STOCK', 'Only 2 left'))).toBe(false);
  });
});
