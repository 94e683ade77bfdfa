import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApp, newUser, post, testDatabase, type TestApp, type TestDatabase } from './helpers.ts';

// The defaults: two hashes at once, four waiting.
let db: TestDatabase;
let app: TestApp;
beforeAll(async () => {
  db = await testDatabase('burst');
  app = await httpApp(db.url);
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('a burst of registrations', () => {
  it('admits what it can hash in time and sheds the rest at once with 503 IDENTITY_BUSY and Retry-After; sign-in works right after', async () => {
    const order: string[] = [];
    const bodies = Array.from({ length: 30 }, () => newUser());
    const answers = await Promise.all(
      bodies.map(async (body) => {
        const res = await post(app, '/users', body);
        order.push(String(res.statusCode));
        return res;
      }),
    );
    const created = answers.filter((r) => r.statusCode === 201);
    const shed = answers.filter((r) => r.statusCode === 503);
    expect(created.length + shed.length).toBe(30);
    expect(created.length).toBeGreaterThanOrEqual(2);
    expect(created.length).toBeLessThanOrEqual(6); // concurrency + queue
    for (const res of shed) {
      expect(res.json()).toMatchObject({ statusCode: 503, code: 'IDENTITY_BUSY', message: expect.stringMatching(/try again in \d+ s/) });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // Shed without waiting for the hashing: every refusal came back before the last account was made.
    expect(order.lastIndexOf('503')).toBeLessThan(order.lastIndexOf('201'));

    const [first] = created;
    const email = bodies[answers.indexOf(first!)]!.email;
    const signIn = await post(app, '/tokens', { email, password: 'correct horse battery staple' });
    expect(signIn.statusCode).toBe(200);
  });

  it('sheds sign-ins the same way when hashing is saturated, with the same answer for every account', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(app, '/tokens', { email: `nobody-${i}@example.com`, password: 'not a password at all' })),
    );
    const codes = answers.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401).length).toBeGreaterThanOrEqual(2);
    expect(codes.filter((c) => c === 503).length).toBeGreaterThan(0);
    expect(codes.every((c) => c === 401 || c === 503)).toBe(true);
  });
});
