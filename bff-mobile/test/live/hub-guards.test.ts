import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { listenOnRandomPort, MemoryEvents } from '@shop/platform/testing/live-events';
import { appWithFakes } from '../support/app.ts';
import { LiveClient } from '../support/live.ts';

// The /m hub's guards against abuse: who may connect, how many at once, how much one socket may hold.
describe('live hub guards on /m', () => {
  let t: Awaited<ReturnType<typeof appWithFakes>>;
  let url: string;
  let token: string;
  const opened: { disconnect(): unknown }[] = [];
  beforeAll(async () => {
    t = await appWithFakes({ deps: { liveEvents: new MemoryEvents() } });
    url = await listenOnRandomPort(t.app);
    token = (await t.signUp()).accessToken;
  });
  afterEach(() => {
    for (const s of opened.splice(0)) s.disconnect();
  });
  afterAll(() => t.close());

  const tryConnect = (headers: Record<string, string> = {}, transports = ['websocket']) => {
    const socket = connect(`${url}/m`, { path: '/socket.io', transports, extraHeaders: headers, reconnection: false, auth: { token } });
    opened.push(socket);
    return new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (err) => resolve(err.message));
    });
  };

  it('caps the products one socket watches even when watch calls arrive together (twenty calls of 100 SKUs)', async () => {
    const app = new LiveClient(url, { token });
    opened.push(app);
    await app.connect();
    const calls = Array.from({ length: 20 }, (_, call) => app.watch({ skus: Array.from({ length: 100 }, (_, i) => `MANY-${call * 100 + i}`) }));
    const answers = await Promise.all(calls);
    expect(answers.filter((a) => 'watching' in a)).toHaveLength(1);
    expect(answers.filter((a) => 'error' in a)).toHaveLength(19);
    expect(await app.watch({ skus: [] })).toEqual({ watching: 100 });
  });

  it("admits apps (no Origin) and the shell's pages, and refuses another site's page and long-polling", async () => {
    expect(await tryConnect()).toBe('connected');
    expect(await tryConnect({ origin: 'http://localhost:3000' })).toBe('connected');
    expect(await tryConnect({ origin: 'https://evil.example' })).not.toBe('connected');
    expect(await tryConnect({}, ['polling'])).not.toBe('connected');
  });

  it('caps the sockets one address holds', async () => {
    const own = await appWithFakes({ env: { LIVE_MAX_CONNECTIONS_PER_ADDRESS: '3' }, deps: { liveEvents: new MemoryEvents() } });
    try {
      const ownUrl = await listenOnRandomPort(own.app);
      const { accessToken } = await own.signUp();
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map(() => {
          const socket = connect(`${ownUrl}/m`, { path: '/socket.io', transports: ['websocket'], reconnection: false, auth: { token: accessToken } });
          opened.push(socket);
          return new Promise<string>((resolve) => {
            socket.once('connect', () => resolve('connected'));
            socket.once('connect_error', (err) => resolve(err.message));
          });
        }),
      );
      expect(results.filter((r) => r === 'connected')).toHaveLength(3);
    } finally {
      for (const s of opened.splice(0)) s.disconnect();
      await own.close();
    }
  });
});
