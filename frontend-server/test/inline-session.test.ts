import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFrontendServer, PER_SHOPPER, REMOTES_BLOCK_ID } from '../src/app.ts';
import { createSessionInliner, SESSION_BLOCK_ID } from '../src/inline-session.ts';

const remotes = { remotes: [{ name: 'mfe_catalog', entry: 'http://localhost:3001/mf-manifest.json' }] };
const SIGNED_IN = 'S'.repeat(43);
const user = { id: 'u-1', email: 'ada@example.com', name: 'Ada </script><script>alert(1)</script>' };

const dist = mkdtempSync(join(tmpdir(), 'inline-session-dist-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head><title>App</title></head><body><div id="root"></div></body></html>');

/**
 * bff-web's `/api/session` as the shell's server meets it: the signed-in session for `sid=SSS…`, a new
 * guest (and its cookie) for anything else; `?delay` per test through `slowMs`, odd answers through `mode`.
 */
let bff: FastifyInstance;
let bffWebUrl: string;
let slowMs = 0;
let mode: 'session' | 'html' | 'shape' | '503' = 'session';
const asked: { cookie?: string; forwardedFor?: string; forwardedProto?: string }[] = [];

beforeAll(async () => {
  bff = Fastify();
  bff.get('/api/session', async (request, reply) => {
    asked.push({
      cookie: request.headers.cookie,
      forwardedFor: request.headers['x-forwarded-for'] as string | undefined,
      forwardedProto: request.headers['x-forwarded-proto'] as string | undefined,
    });
    if (slowMs) await new Promise((resolve) => setTimeout(resolve, slowMs));
    if (mode === '503') return reply.code(503).send({ code: 'WEB_SESSION_UNAVAILABLE' });
    if (mode === 'html') return reply.type('text/html').send('<h1>oops</h1>');
    if (mode === 'shape') return { hello: 'world' };
    const signedIn = request.headers.cookie?.includes(`sid=${SIGNED_IN}`);
    const sid = signedIn ? SIGNED_IN : 'N'.repeat(43);
    reply.header('set-cookie', `sid=${sid}; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax`);
    return signedIn ? { user, cartId: 'user-u-1', csrfToken: 'csrf-signed-in' } : { user: null, cartId: `guest-${sid}`, csrfToken: 'csrf-guest' };
  });
  bffWebUrl = await bff.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await bff.close();
  rmSync(dist, { recursive: true, force: true });
});

const shell = (sessionBudgetMs: number, bffUrl = bffWebUrl) =>
  buildFrontendServer({ role: 'host', remotes, sessionBudgetMs, name: 'shell', distDir: dist, bffWebUrl: bffUrl, logger: false });

/** The JSON of the page's `#session` block, or undefined without one. */
function sessionBlock(html: string): unknown {
  const match = new RegExp(`<script type="application/json" id="${SESSION_BLOCK_ID}">([^<]*)</script>`).exec(html);
  return match ? JSON.parse(match[1]!) : undefined;
}

/** A port nothing listens on: bff-web down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('shell page with the session inlined', () => {
  it("carries a signed-in browser's session, passes bff-web's cookie on and is cached by nobody", async () => {
    mode = 'session';
    slowMs = 0;
    asked.length = 0;
    const app = await shell(2000);
    const page = await app.inject({ url: '/products/K-1', headers: { cookie: `theme=dark; sid=${SIGNED_IN}`, 'x-forwarded-for': '203.0.113.9' } });
    expect(page.statusCode).toBe(200);
    expect(sessionBlock(page.body)).toEqual({ user, cartId: 'user-u-1', csrfToken: 'csrf-signed-in' });
    // Data, never code: the name's `</script>` cannot end the block.
    expect(page.body).not.toContain('</script><script>alert(1)');
    expect(page.body).toContain(REMOTES_BLOCK_ID);
    expect(page.headers['set-cookie']).toBe(`sid=${SIGNED_IN}; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax`);
    expect(page.headers['cache-control']).toBe(PER_SHOPPER);
    expect(String(page.headers.vary)).toMatch(/\bcookie\b/i);
    // Asked as the browser would have asked through /api: its cookie, its address, its scheme.
    expect(asked).toEqual([{ cookie: `theme=dark; sid=${SIGNED_IN}`, forwardedFor: '203.0.113.9, 127.0.0.1', forwardedProto: 'http' }]);
    await app.close();
  });

  it("gives a first visit its new guest session and that session's cookie", async () => {
    mode = 'session';
    slowMs = 0;
    const app = await shell(2000);
    const page = await app.inject('/');
    expect(sessionBlock(page.body)).toEqual({ user: null, cartId: `guest-${'N'.repeat(43)}`, csrfToken: 'csrf-guest' });
    expect(page.headers['set-cookie']).toMatch(/^sid=N{43};/);
    await app.close();
  });

  it('serves the page without the session, at once, when bff-web is past the budget', async () => {
    mode = 'session';
    slowMs = 1500;
    const app = await shell(100);
    const page = await app.inject({ url: '/', headers: { cookie: `sid=${SIGNED_IN}` } });
    slowMs = 0;
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.body).toContain(REMOTES_BLOCK_ID);
    expect(sessionBlock(page.body)).toBeUndefined();
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.headers['cache-control']).toBe('no-cache');
    await app.close();
  });

  it('serves the page without the session when bff-web is down', async () => {
    const app = await shell(2000, `http://127.0.0.1:${await closedPort()}`);
    const page = await app.inject({ url: '/cart', headers: { cookie: `sid=${SIGNED_IN}` } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(REMOTES_BLOCK_ID);
    expect(sessionBlock(page.body)).toBeUndefined();
    expect(page.headers['set-cookie']).toBeUndefined();
    await app.close();
  });

  it.each(['503', 'html', 'shape'] as const)('serves the page without the session when bff-web answers %s', async (odd) => {
    mode = odd;
    slowMs = 0;
    const app = await shell(2000);
    const page = await app.inject('/');
    mode = 'session';
    expect(page.statusCode).toBe(200);
    expect(sessionBlock(page.body)).toBeUndefined();
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.headers['cache-control']).toBe('no-cache');
    await app.close();
  });

  it('survives a junk cookie: bff-web decides what it is worth (here a new guest)', async () => {
    mode = 'session';
    slowMs = 0;
    asked.length = 0;
    const app = await shell(2000);
    const junk = 'sid=%%%<script>"; ;;=;; =x; sid=; ' + 'z'.repeat(3000);
    const page = await app.inject({ url: '/', headers: { cookie: junk } });
    expect(page.statusCode).toBe(200);
    expect(sessionBlock(page.body)).toEqual({ user: null, cartId: `guest-${'N'.repeat(43)}`, csrfToken: 'csrf-guest' });
    expect(asked[0]?.cookie).toBe(junk);
    await app.close();
  });

  it('never asks bff-web with a budget of 0, and the page does not vary by cookie for it', async () => {
    asked.length = 0;
    const app = await shell(0);
    const page = await app.inject({ url: '/', headers: { cookie: `sid=${SIGNED_IN}` } });
    expect(page.statusCode).toBe(200);
    expect(sessionBlock(page.body)).toBeUndefined();
    expect(asked).toEqual([]);
    expect(String(page.headers.vary ?? '')).not.toMatch(/cookie/i);
    await app.close();
  });
});

describe('createSessionInliner', () => {
  it('gives undefined, never a rejection, for a cookie that cannot be sent on', async () => {
    const inline = createSessionInliner({ bffWebUrl, budgetMs: 2000 });
    await expect(inline({ headers: { cookie: 'sid=\u0100\r\nx-evil: 1' }, ip: '127.0.0.1', protocol: 'http' })).resolves.toBeUndefined();
  });

  it('gives undefined by its budget when the answer starts and its body never ends, the abort notwithstanding', async () => {
    // What nodejs/node#56917 leaves behind: a body read, aborted midway, pending forever.
    const endless = () => new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('{"user":')) });
    const inline = createSessionInliner({ bffWebUrl: 'http://bff.invalid', budgetMs: 50, fetch: async () => new Response(endless(), { status: 200 }) });
    const started = Date.now();
    await expect(inline({ headers: {}, ip: '127.0.0.1', protocol: 'http' })).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('joins repeated cookie and forwarded headers as one each', async () => {
    const seen: Headers[] = [];
    const inline = createSessionInliner({
      bffWebUrl: 'http://bff.invalid',
      budgetMs: 1000,
      fetch: async (_url, init) => {
        seen.push(new Headers(init?.headers));
        return Response.json({ user: null, cartId: 'guest-x', csrfToken: 't' }, { headers: [['set-cookie', 'a=1'], ['set-cookie', 'b=2']] });
      },
    });
    const result = await inline({ headers: { cookie: ['a=1', 'sid=x'], 'x-forwarded-for': '198.51.100.1' }, ip: '10.0.0.1', protocol: 'https' });
    expect(result).toEqual({ session: { user: null, cartId: 'guest-x', csrfToken: 't' }, setCookies: ['a=1', 'b=2'] });
    expect(seen[0]?.get('cookie')).toBe('a=1; sid=x');
    expect(seen[0]?.get('x-forwarded-for')).toBe('198.51.100.1, 10.0.0.1');
    expect(seen[0]?.get('x-forwarded-proto')).toBe('https');
  });
});
