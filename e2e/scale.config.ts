import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

/**
 * `npm run scale:browser` (root) = `npm run test:scale -w @shop/e2e`: the browser half of issue 11's
 * scale-out case, apart from `npm test` (it starts a storefront of its own with three bff-web instances
 * and kills one; standard ports, run it alone, e.g. under `flock /tmp/stdports.lock`).
 *
 * Same browser and per-address limits as the e2e suite, but always a storefront this run starts itself
 * (`BFF_WEB_INSTANCES=3 npm start`, never one already running): the spec SIGKILLs one of its processes.
 */
export default defineConfig({
  ...base,
  testDir: './scale',
  globalTeardown: undefined,
  webServer: {
    ...base.webServer!,
    reuseExistingServer: false,
    env: { ...(base.webServer as { env: Record<string, string> }).env, BFF_WEB_INSTANCES: '3' },
  },
});
