import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectRoutes, fuzzEveryRoute, postgresWrites } from '@shop/platform/testing/fuzz-routes';
import { httpApp, newUser, post, testDatabase, type TestApp, type TestDatabase } from './helpers.ts';

// Every route, fed schema-driven valid and hostile input: never a 5xx or a hang, every 4xx says
// why, and a refused sign-up, sign-in or refresh leaves users, tokens and outbox as they were.
const collector = collectRoutes();
let db: TestDatabase;
let app: TestApp;
const user = newUser();
let userId: string;
let refreshToken: string;

beforeAll(async () => {
  db = await testDatabase('fuzz');
  app = await httpApp(db.url);
  await app.ready();
  const res = await post(app, '/users', user);
  expect(res.statusCode).toBe(201);
  ({ user: { id: userId }, tokens: { refreshToken } } = res.json());
});
afterAll(async () => {
  collector.stop();
  await app?.close();
  await db?.drop();
});

it('answers every route without a 5xx or a hang, names each refusal and writes nothing on one', { timeout: 400_000 }, async () => {
  await fuzzEveryRoute(app, collector, 'identity', [
    'POST /users', 'GET /users/:id', 'POST /tokens', 'POST /tokens/refresh', 'POST /tokens/revoke', 'GET /.well-known/jwks.json',
  ], {
    // Each sign-up and sign-in hashes with scrypt, so this workspace runs fewer inputs per route.
    runs: Number(process.env.FUZZ_RUNS ?? 25),
    // scrypt (32 MiB a hash) takes 0.2 s on an idle machine and seconds on a busy one: a hang is far beyond that.
    timeoutMs: 30_000,
    samples: { email: [user.email], password: [user.password, 'wrong password!'], id: [userId], refreshToken: [refreshToken] },
    writes: async (route) => {
      const tables = await postgresWrites(app.db);
      // A refresh token used twice revokes its whole family (reuse detection, OAuth 2.0 Security BCP
      // §4.14.2): that write on a refusal is the point. Every other table, and every other route, is checked.
      if (route.url === '/tokens/refresh') delete tables.refresh_families;
      return tables;
    },
  });
});
