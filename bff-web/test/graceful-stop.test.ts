import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openSocket, waitUntil, type TestSocket } from './live-fakes.ts';

/** A free port on this machine, for a server process of the test's own. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  return port;
}

/** Integration: bff-web as `npm start` runs it, stopped the way a deploy stops it (SIGTERM). */
describe('bff-web on SIGTERM', () => {
  const sockets: TestSocket[] = [];
  let child: ReturnType<typeof spawn> | undefined;
  afterAll(() => {
    for (const s of sockets) s.disconnect();
    if (child?.exitCode === null) child.kill('SIGKILL'); // only if the test failed before it exited
  });

  it('tells open pages to move (they reconnect elsewhere) and exits cleanly', async () => {
    const port = await freePort();
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LIVE_ENABLED: 'false', LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    const exited = once(child, 'exit');
    const url = `http://127.0.0.1:${port}`;
    await waitUntil(async () => (await fetch(`${url}/health`).catch(() => null))?.ok === true, 30_000, 'bff-web up');
    const socket = await openSocket(url);
    sockets.push(socket);
    const told = new Promise((resolve) => socket.once('disconnect', resolve));

    child.kill('SIGTERM');
    expect(await told).toBe('io server disconnect');
    expect(await exited).toEqual([0, null]); // closed by itself, not by the forced exit (code 1)
  }, 60_000);
});
