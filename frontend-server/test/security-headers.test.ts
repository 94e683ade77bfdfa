import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildFrontendServer } from '../src/app.ts';

const remotes = {
  remotes: [
    { name: 'mfe_catalog', entry: 'http://localhost:3001/mf-manifest.json' },
    { name: 'mfe_cart', entry: 'http://localhost:3002/mf-manifest.json' },
  ],
};

let dist: string;
let shell: FastifyInstance;
let fragment: FastifyInstance;
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'frontend-csp-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dist, 'mf-manifest.json'), '{}');
  writeFileSync(join(dist, 'remoteEntry.js'), 'export {}');
  shell = await buildFrontendServer({ name: 'shell', role: 'host', remotes, distDir: dist, bffWebUrl: 'http://127.0.0.1:1', logger: false });
  fragment = await buildFrontendServer({ name: 'mfe-cart', role: 'remote', distDir: dist, bffWebUrl: 'http://127.0.0.1:1', logger: false });
});
afterAll(async () => {
  await shell.close();
  await fragment.close();
  rmSync(dist, { recursive: true, force: true });
});

/** The CSP header as directive → sources. */
const csp = (header: unknown) =>
  Object.fromEntries(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!, sources]),
  );

describe('security headers', () => {
  it.each(['/', '/products/KIT-0001', '/remotes.json', '/health'])("the shell's %s has a CSP without inline or eval'd script, and the other headers", async (url) => {
    const res = await shell.inject({ url });
    const policy = csp(res.headers['content-security-policy']);
    expect(policy['script-src']).toEqual(["'self'", 'http://localhost:3001', 'http://localhost:3002']);
    expect(policy['script-src-attr']).toEqual(["'none'"]);
    expect(String(res.headers['content-security-policy'])).not.toMatch(/unsafe-eval/);
    expect(policy['script-src']).not.toContain("'unsafe-inline'");
    expect(policy['default-src']).toEqual(["'self'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['connect-src']).toEqual(expect.arrayContaining(["'self'", 'http://localhost:3001', 'http://localhost:3002', 'ws://localhost:80']));
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined(); // plain http: not a promise to keep
  });

  it('sends HSTS only behind TLS (X-Forwarded-Proto: https)', async () => {
    const res = await shell.inject({ url: '/', headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it("lets the shell load a fragment's files (cross-origin resource policy) and keeps its own page to itself", async () => {
    const entry = await fragment.inject({ url: '/remoteEntry.js' });
    expect(entry.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(csp(entry.headers['content-security-policy'])['script-src']).toEqual(["'self'"]);
    expect((await shell.inject({ url: '/' })).headers['cross-origin-resource-policy']).toBe('same-origin');
  });
});
