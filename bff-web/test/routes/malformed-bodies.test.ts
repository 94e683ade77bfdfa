import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShop, type Shop } from '../shop.ts';

let shop: Shop;
beforeEach(async () => {
  shop = await startShop();
});
afterEach(() => shop.close());

// Routes whose 400 is a form error (with `fields`): a body that is not JSON at all is refused before the
// form's own validator runs, and must still get a 400 that says so, never a 500.
describe.each([
  ['POST', '/api/session/sign-in'],
  ['POST', '/api/session/register'],
  ['POST', '/api/checkout'],
  ['PUT', '/api/cart/lines/KIT-0001'],
] as const)('%s %s with a body that is not JSON', (method, url) => {
  it('answers 400 naming the problem, and nothing is written', async () => {
    const browser = shop.browser();
    await browser.session();
    const res = await browser.request(method, url, { body: '[', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, message: expect.stringMatching(/JSON/i) });
    expect(shop.orders.placed).toEqual([]);
    expect(shop.identity.userByEmail('ada@example.com')).toBeUndefined();
  });
});
