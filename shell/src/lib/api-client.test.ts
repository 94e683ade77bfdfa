import { describe, expect, it } from 'vitest';
import type { Session } from '@shop/contracts/api/web';
import { createApiClient, CSRF_HEADER } from './api-client.ts';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
const session = (csrfToken: string, name?: string): Session => ({
  user: name ? { id: 'u1', email: 'a@example.com', name } : null,
  cartId: 'guest-1',
  csrfToken,
});

function fake(answer: (url: string, headers: Record<string, string>) => Response) {
  const seen: string[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    seen.push(`${init.method} ${String(input)} ${headers[CSRF_HEADER] ?? '-'}`);
    return answer(String(input), headers);
  }) as typeof fetch;
  return { seen, client: createApiClient('/api', fetchFn) };
}

describe('shell api client', () => {
  it('signs out with the CSRF token of the session it fetched', async () => {
    const { seen, client } = fake((url) => (url === '/api/session' ? json(200, session('t-1', 'Ada')) : json(200, session('t-2'))));
    expect((await client.session()).user?.name).toBe('Ada');
    expect((await client.post<Session>('/session/sign-out')).user).toBeNull();
    expect(seen).toEqual(['GET /api/session -', 'POST /api/session/sign-out t-1']);
  });

  it('fetches a session first when it has no token, and retries once on a stale one', async () => {
    let n = 0;
    const { seen, client } = fake((url, headers) => {
      if (url === '/api/session') return json(200, session(`t-${++n}`));
      if (headers[CSRF_HEADER] === 't-1') {
        return json(403, { statusCode: 403, code: 'WEB_CSRF_TOKEN_INVALID', error: 'Forbidden', message: 'stale' });
      }
      return json(200, session('t-3'));
    });
    await client.post('/session/sign-out');
    expect(seen).toEqual([
      'GET /api/session -',
      'POST /api/session/sign-out t-1',
      'GET /api/session -',
      'POST /api/session/sign-out t-2',
    ]);
  });

  it('reports errors with their code', async () => {
    const { client } = fake(() => json(503, { statusCode: 503, code: 'WEB_IDENTITY_UNAVAILABLE', error: 'x', message: 'Try later' }));
    await expect(client.session()).rejects.toMatchObject({ status: 503, code: 'WEB_IDENTITY_UNAVAILABLE', message: 'Try later' });
  });
});
