import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildFrontendServer } from '../src/app.ts';

/**
 * The shell's /api proxy over real sockets (inject skips the proxy's HTTP client paths that fail here):
 * a request header the proxy's HTTP client will not forward, and bff-web down, get JSON 4xx/503, never a 500.
 */
const dist = mkdtempSync(join(tmpdir(), 'frontend-proxy-'));
writeFileSync(join(dist, 'index.html'), '<!doctype html>');
let bff: FastifyInstance;
let shell: FastifyInstance;
let shellUrl: URL;
let downShell: FastifyInstance;
let downUrl: URL;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** A raw HTTP/1.1 request, headers exactly as given (node:http sends `Expect` and waits for 100 Continue). */
function send(base: URL, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; json: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest({ host: base.hostname, port: base.port, path, method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => {
        resolve({ status: res.statusCode!, headers: res.headers, json: text ? JSON.parse(text) : {} });
      });
    });
    req.on('error', reject);
    if (body !== undefined && headers.expect) req.on('continue', () => req.end(body));
    else req.end(body);
  });
}

beforeAll(async () => {
  bff = Fastify({ bodyLimit: 4 * 1024 * 1024 });
  bff.post('/api/echo', async (request) => ({ bytes: JSON.stringify(request.body).length, expect: request.headers.expect ?? null }));
  bff.get('/api/ok', async () => ({ ok: true }));
  await bff.listen({ port: 0, host: '127.0.0.1' });
  const bffUrl = `http://127.0.0.1:${(bff.server.address() as { port: number }).port}`;

  shell = await buildFrontendServer({ name: 'shell', role: 'host', remotes: { remotes: [] }, distDir: dist, bffWebUrl: bffUrl, logger: false });
  shellUrl = new URL(await shell.listen({ port: 0, host: '127.0.0.1' }));
  // A shell whose bff-web is not running: nothing listens on its port.
  const nobody = `http://127.0.0.1:${await freePort()}`;
  downShell = await buildFrontendServer({ name: 'shell', role: 'host', remotes: { remotes: [] }, distDir: dist, bffWebUrl: nobody, logger: false });
  downUrl = new URL(await downShell.listen({ port: 0, host: '127.0.0.1' }));
});

afterAll(async () => {
  await shell?.close();
  await downShell?.close();
  await bff?.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('the /api proxy', () => {
  it('passes a body sent with Expect: 100-continue (as curl does over 1 MB) on to bff-web', async () => {
    const body = JSON.stringify({ blob: 'x'.repeat(1_100_000) });
    const res = await send(shellUrl, '/api/echo', { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), expect: '100-continue' }, body);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ bytes: body.length, expect: null });
  });

  it('answers a header the proxy cannot forward with a 400 naming it, not a 500', async () => {
    // undici accepts no `connection` value but keep-alive/close; node's server lets this one through.
    const res = await send(shellUrl, '/api/ok', { connection: 'keep-alive, x-private' });
    expect(res.status).toBeLessThan(500);
    if (res.status !== 200) {
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: 'SHELL_UNFORWARDABLE_REQUEST', message: expect.stringMatching(/connection/) });
    }
  });

  it('answers 503 JSON with Retry-After when bff-web is down, not a 500', async () => {
    const res = await send(downUrl, '/api/ok', {});
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json).toMatchObject({ statusCode: 503, code: 'SHELL_API_UNAVAILABLE', message: expect.stringMatching(/not answering/) });
  });
});
