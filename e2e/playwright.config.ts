import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in Debian's Chromium against the whole storefront, started exactly as
 * `npm start` starts it (or an instance already running on the same ports, outside CI).
 * One worker: the tests share one system and change its stock and prices.
 */
export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  // Stops the servers specs started in place of the launcher's (support/own-processes.ts).
  globalTeardown: './support/global-teardown.ts',
  use: {
    baseURL: 'http://localhost:3000',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'npm start',
    cwd: '..',
    url: 'http://localhost:3000/health',
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
    stdout: 'pipe',
    gracefulShutdown: { signal: 'SIGINT', timeout: 30_000 },
    // Every test browser comes from 127.0.0.1: give the suite room under the per-address limits (the defaults
    // stay strict). The shell's first-response budgets are raised so a busy CI machine still gets the page's
    // data, session and preloads inlined (3-first-load counts the chain they save); the manifest's stays short of the
    // fragment load budget the hung-fragment test waits for.
    env: {
      AUTH_RATE_LIMIT_PER_MIN: '200', SESSION_CREATE_PER_ADDRESS: '10000', LIVE_MAX_CONNECTIONS_PER_ADDRESS: '1000',
      FIRST_DATA_BUDGET_MS: '3000', MANIFEST_BUDGET_MS: '2000', SESSION_BUDGET_MS: '3000',
      // The shell checks fragment canaries every second, so 13-canary-rollback sees a failing one dropped soon.
      RELEASE_CHECK_INTERVAL_MS: '1000',
    },
  },
});
