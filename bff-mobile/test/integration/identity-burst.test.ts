import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp as buildIdentity, migrationsDir } from '@shop/identity/app';
import { readConfig as identityConfig } from '@shop/identity/config';
import type { App } from '@shop/platform/server';
import { createTestDatabase } from '@shop/platform/testing/database';
import { listenOnRandomPort } from '@shop/platform/testing/live-events';
import { buildApp } from '../../src/app.ts';
import { fakeBackends, testConfig } from '../fakes.ts';

/**
 * Integration: thirty sign-ups at once through bff-mobile against the real identity service (its own test
 * database, on a random port, with its default bound on password hashing). Identity sheds the excess with a
 * quick 503 and Retry-After; bff-mobile relays it and does not count it against identity's circuit, so the
 * next shopper's sign-in goes through rather than failing fast for everyone.
 */
let identity: Awaited<ReturnType<typeof buildIdentity>>;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let fakes: Awaited<ReturnType<typeof fakeBackends>>;

beforeAll(async () => {
  database = await createTestDatabase('bffmobile_burst', migrationsDir);
  identity = await buildIdentity(identityConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' }), { messaging: false });
  const identityUrl = await listenOnRandomPort(identity as unknown as App);
  fakes = await fakeBackends();
  const { identity: _fake, ...others } = fakes.clients;
  // A generous budget: this test is about shedding, not about this (shared, busy) machine's hashing speed.
  app = await buildApp(testConfig({ IDENTITY_URL: identityUrl, DOWNSTREAM_TIMEOUT_MS: '20000', AUTH_RATE_LIMIT_PER_MIN: '1000', BREAKER_THRESHOLD: '5' }), {
    clients: others,
    liveEvents: null,
  });
  await app.ready();
}, 60_000);

afterAll(async () => {
  await app?.close();
  identity?.server.closeAllConnections();
  await identity?.close();
  await database?.drop();
  await fakes?.keys.close();
});

describe('a burst of sign-ups through bff-mobile', () => {
  it('answers the excess 503 with Retry-After, keeps the identity circuit closed, and the next sign-in succeeds', async () => {
    const emails = Array.from({ length: 30 }, (_, i) => `burst-${Date.now()}-${i}@example.com`);
    const answers = await Promise.all(
      emails.map((email) => app.inject({ method: 'POST', url: '/m/v1/auth/register', payload: { email, password: 'correct horse', name: 'Burst' } })),
    );
    const created = answers.filter((r) => r.statusCode === 201);
    const shed = answers.filter((r) => r.statusCode === 503);
    expect(created.length + shed.length).toBe(30);
    expect(created.length).toBeGreaterThan(0);
    expect(shed.length).toBeGreaterThanOrEqual(5); // more than the breaker's threshold: had they counted, it would be open
    for (const res of shed) {
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.json()).toMatchObject({ status: 503, code: 'MOBILE_SERVICE_UNAVAILABLE', detail: expect.stringMatching(/^Sign-in is busy right now/) });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(app.downstreams.get('identity')?.circuit()).toBe('closed');

    const email = emails[answers.indexOf(created[0]!)]!;
    const signIn = await app.inject({ method: 'POST', url: '/m/v1/auth/token', payload: { email, password: 'correct horse' } });
    expect(signIn.statusCode).toBe(200);
  }, 120_000); // thirty scrypt hashes' worth of work on a shared test machine
});
