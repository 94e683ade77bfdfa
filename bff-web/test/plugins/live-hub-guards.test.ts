import { afterEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { App } from '@shop/platform/server';
import { FakeCatalog, FakeInventory } from '@shop/platform/testing/fake-clients';
import { listenOnRandomPort } from '@shop/platform/testing/live-events';
import { buildApp } from '../../src/app.ts';
import { testConfig } from '../fakes.ts';
import { openSocket, watch, type TestSocket } from '../live-fakes.ts';

// The hub's guards against abuse: who may connect, how many at once, how much one socket may hold.
let app: App | undefined;
const sockets: { disconnect(): unknown }[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await app?.close();
});

async function startHub(env: Record<string, string> = {}) {
  app = await buildApp(testConfig(env), { clients: { catalog: new FakeCatalog(), inventory: new FakeInventory() }, liveEvents: null });
  return listenOnRandomPort(app);
}

/** Opens a socket with these handshake headers (and transports); resolves with the connect error's message, or 'connected'. */
function tryConnect(url: string, { headers = {}, transports = ['websocket'] }: { headers?: Record<string, string>; transports?: string[] } = {}) {
  const socket = connect(url, { path: '/socket.io', transports, extraHeaders: headers, reconnection: false, timeout: 5_000 });
  sockets.push(socket);
  return new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err) => resolve(err.message));
  });
}

const skus = (from: number, count: number) => Array.from({ length: count }, (_, i) => `KIT-${String(from + i).padStart(4, '0')}`);

describe('live hub guards', () => {
  it("accepts the shell's origin and clients that send none, and refuses another site's page", async () => {
    const url = await startHub();
    expect(await tryConnect(url, { headers: { origin: 'http://localhost:3000' } })).toBe('connected');
    expect(await tryConnect(url)).toBe('connected');
    expect(await tryConnect(url, { headers: { origin: 'https://evil.example' } })).not.toBe('connected');
    expect(await tryConnect(url, { headers: { origin: 'null' } })).not.toBe('connected');
  });

  it('takes its allowed origins from LIVE_ALLOWED_ORIGINS', async () => {
    const url = await startHub({ LIVE_ALLOWED_ORIGINS: 'https://shop.example' });
    expect(await tryConnect(url, { headers: { origin: 'https://shop.example' } })).toBe('connected');
    expect(await tryConnect(url, { headers: { origin: 'http://localhost:3000' } })).not.toBe('connected');
  });

  it('speaks WebSocket only: a long-polling client is refused', async () => {
    const url = await startHub();
    expect(await tryConnect(url, { transports: ['polling'] })).not.toBe('connected');
    const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(400);
  });

  it('caps the sockets one address holds, counting each shopper the shell forwards on their own; a closed one frees its place', async () => {
    const url = await startHub({ LIVE_MAX_CONNECTIONS_PER_ADDRESS: '3' });
    const shopper = { 'x-forwarded-for': '203.0.113.5' };
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => tryConnect(url, { headers: shopper })));
    expect(results.filter((r) => r === 'connected')).toHaveLength(3);
    expect(await tryConnect(url, { headers: { 'x-forwarded-for': '203.0.113.6' } })).toBe('connected');

    const first = sockets[results.indexOf('connected')]!;
    first.disconnect();
    await expect.poll(() => tryConnect(url, { headers: shopper }), { timeout: 5_000 }).toBe('connected');
  });

  it('caps the products one socket watches, even when watch calls arrive together', async () => {
    const url = await startHub({ LIVE_MAX_WATCHED_PER_SOCKET: '150' });
    const socket: TestSocket = await openSocket(url);
    sockets.push(socket);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => watch(socket, skus(i * 100, 100))));
    expect(answers.filter((a) => 'watching' in a)).toHaveLength(1);
    expect(answers.filter((a) => 'error' in a)[0]).toEqual({ error: 'one connection may watch at most 150 products; unwatch some first' });
    expect(await watch(socket, [])).toEqual({ watching: 100 });
  });
});
