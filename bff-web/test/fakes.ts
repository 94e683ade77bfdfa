import { randomUUID } from 'node:crypto';
import { readConfig } from '../src/config.ts';

/** bff-web's test settings; the service fakes are platform's (`@shop/platform/testing/*`). */

/** Session keys of this test run only, so runs (and the real bff-web) never see each other's sessions. */
export const SESSION_KEY_PREFIX = `test-bff-web-${randomUUID()}:`;

/** Fragment report counts of this test run only (apart from the sessions: they are not JSON). */
export const FRAGMENT_REPORTS_KEY_PREFIX = `test-bff-web-reports-${randomUUID()}:`;

/** Sign-in attempt counters live beside the sessions (and go with them); only the rate-limit tests set a low limit. */
export const testConfig = (env: Record<string, string> = {}) =>
  readConfig({
    LOG_LEVEL: 'silent',
    LIVE_ENABLED: 'false',
    DOWNSTREAM_TIMEOUT_MS: '150',
    SESSION_KEY_PREFIX,
    AUTH_RATE_LIMIT_KEY_PREFIX: `${SESSION_KEY_PREFIX}auth-attempts:`,
    AUTH_RATE_LIMIT_PER_MIN: '1000',
    SESSION_CREATE_PER_ADDRESS: '100000',
    FRAGMENT_REPORTS_KEY_PREFIX,
    ...env,
  });

