import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFrontendConfig } from '../src/config.ts';

const defaults = { port: 3001, distDir: new URL('file:///srv/mfe-catalog/dist') };

describe('front-end server config', () => {
  it('defaults to the app port, localhost, the local bff-web and the app build', () => {
    expect(loadFrontendConfig({}, defaults)).toEqual({
      port: 3001,
      host: 'localhost',
      bffWebUrl: 'http://localhost:4000',
      logLevel: 'info',
      distDir: '/srv/mfe-catalog/dist',
      sessionBudgetMs: 300,
    });
  });

  it('takes every variable from the environment', () => {
    const env = { PORT: '8080', HOST: '0.0.0.0', BFF_WEB_URL: 'http://bff:4000', LOG_LEVEL: 'warn', DIST_DIR: '/tmp/candidate', SESSION_BUDGET_MS: '0' };
    expect(loadFrontendConfig(env, defaults)).toEqual({
      port: 8080,
      host: '0.0.0.0',
      bffWebUrl: 'http://bff:4000',
      logLevel: 'warn',
      distDir: '/tmp/candidate',
      sessionBudgetMs: 0,
    });
  });

  it('reads a relative DIST_DIR from the working directory', () => {
    expect(loadFrontendConfig({ DIST_DIR: 'dist-next' }, defaults).distDir).toBe(join(process.cwd(), 'dist-next'));
  });

  it('names the variable that is wrong', () => {
    expect(() => loadFrontendConfig({ PORT: 'http' }, defaults)).toThrow('PORT must be a port number, got "http"');
    expect(() => loadFrontendConfig({ PORT: '70000' }, defaults)).toThrow(/^PORT/);
    expect(() => loadFrontendConfig({ BFF_WEB_URL: 'bff web' }, defaults)).toThrow(/^BFF_WEB_URL must be a URL/);
    expect(() => loadFrontendConfig({ LOG_LEVEL: 'loud' }, defaults)).toThrow(/^LOG_LEVEL must be one of/);
    expect(() => loadFrontendConfig({ DIST_DIR: '' }, defaults)).toThrow(/^DIST_DIR/);
    expect(() => loadFrontendConfig({ SESSION_BUDGET_MS: 'soon' }, defaults)).toThrow('SESSION_BUDGET_MS must be a whole number of milliseconds, got "soon"');
    expect(() => loadFrontendConfig({ SESSION_BUDGET_MS: '-1' }, defaults)).toThrow(/^SESSION_BUDGET_MS/);
  });
});
