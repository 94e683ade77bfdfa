import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@shop/platform/testing/database';
import { buildApp, migrationsDir } from '../src/app.ts';
import { readConfig } from '../src/config.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  db = await createTestDatabase('payments_api', migrationsDir);
  app = await buildApp(readConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' }), { messaging: false });
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});
beforeEach(async () => {
  await app.db.query('TRUNCATE payment_methods');
});

const nextYear = String((new Date().getUTCFullYear() + 1) % 100).padStart(2, '0');
const lastYear = String((new Date().getUTCFullYear() - 1) % 100).padStart(2, '0');
const card = { cardNumber: '4242 4242 4242 4242', expiry: `12/${nextYear}`, cvc: '123' };
const post = (payload: unknown) =>
  app.inject({
    method: 'POST', url: '/payment-methods', headers: { 'content-type': 'application/json' },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
const stored = async () => (await app.db.query('SELECT * FROM payment_methods')).rows;

describe('POST /payment-methods', () => {
  it('tokenises a valid card: 201 with an id, the brand and the last 4, and keeps no card number or cvc', async () => {
    const res = await post(card);
    expect(res.statusCode).toBe(201);
    const method = res.json();
    expect(method).toEqual({ paymentMethodId: expect.stringMatching(/^[0-9a-f-]{36}$/), brand: 'visa', last4: '4242' });
    const rows = await stored();
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(method.paymentMethodId);
    const text = JSON.stringify(rows);
    expect(text).not.toContain('42424242');
    expect(text).not.toContain('"123"');
  });

  it('accepts the test cards like any other valid card', async () => {
    for (const cardNumber of ['4000 0000 0000 0002', '4000000000000119']) {
      const res = await post({ ...card, cardNumber });
      expect(res.statusCode).toBe(201);
      expect(res.json().last4).toBe(cardNumber.slice(-4));
    }
  });
});

describe('bad input', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['a wrong check digit', { ...card, cardNumber: '4242 4242 4242 4241' }, 'PAYMENTS_INVALID_CARD_NUMBER', /cardNumber/],
    ['letters in the number', { ...card, cardNumber: '4242 4242 4242 424X' }, 'PAYMENTS_INVALID_CARD_NUMBER', /cardNumber/],
    ['dashes in the number', { ...card, cardNumber: '4242-4242-4242-4242' }, 'PAYMENTS_INVALID_CARD_NUMBER', /cardNumber/],
    ['too few digits', { ...card, cardNumber: '4242 4242 424' }, 'PAYMENTS_INVALID_CARD_NUMBER', /cardNumber/],
    ['too short to be a number', { ...card, cardNumber: '4242' }, 'VALIDATION_FAILED', /cardNumber/],
    ['an expired card', { ...card, expiry: `01/${lastYear}` }, 'PAYMENTS_CARD_EXPIRED', /expiry/],
    ['a malformed expiry', { ...card, expiry: '13/30' }, 'VALIDATION_FAILED', /expiry/],
    ['a cvc of two digits', { ...card, cvc: '12' }, 'VALIDATION_FAILED', /cvc/],
    ['a cvc with letters', { ...card, cvc: '12a' }, 'VALIDATION_FAILED', /cvc/],
    ['no card number', { expiry: card.expiry, cvc: card.cvc }, 'VALIDATION_FAILED', /cardNumber/],
    ['malformed JSON', '{"cardNumber": ', 'FST_ERR_CTP_INVALID_JSON_BODY', /JSON/i],
  ];

  it.each(cases)('%s gets a 400 naming the problem, and nothing is stored', async (_name, payload, code, message) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toMatchObject({ statusCode: 400, code, message: expect.stringMatching(message) });
    expect(await stored()).toHaveLength(0);
  });
});
