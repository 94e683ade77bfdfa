import { afterEach, describe, expect, it } from 'vitest';
import { startShop, type Shop } from '../shop.ts';

/**
 * Per-address limits behind the balancer: with TRUST_PROXY naming the balancer's address (as the launcher
 * sets it when it runs HAProxy, which connects from 127.0.0.2), X-Forwarded-For counts only when the balancer
 * sent it, and then only the address the balancer appended. Bucket here: new guest sessions per address (1).
 */
let shop: Shop;
afterEach(async () => shop?.close());

const BALANCER = '127.0.0.2';

async function firstWrite(headers: Record<string, string>, peer: string) {
  const browser = shop.browser(headers, peer);
  await browser.session();
  return (await browser.put('/api/cart/lines/KIT-0001', { quantity: 1 })).statusCode;
}

describe('X-Forwarded-For', () => {
  it('from an untrusted peer is ignored: a forged address per request still lands in the peer\'s one bucket', async () => {
    shop = await startShop({ env: { SESSION_CREATE_PER_ADDRESS: '1', TRUST_PROXY: BALANCER } });
    expect(await firstWrite({ 'x-forwarded-for': '203.0.113.1' }, '127.0.0.1')).toBe(200);
    expect(await firstWrite({ 'x-forwarded-for': '203.0.113.2' }, '127.0.0.1')).toBe(429);
  });

  it('from the balancer names the shopper: each address its own bucket, and what the client forged before it is ignored', async () => {
    shop = await startShop({ env: { SESSION_CREATE_PER_ADDRESS: '1', TRUST_PROXY: BALANCER } });
    expect(await firstWrite({ 'x-forwarded-for': '198.51.100.7' }, BALANCER)).toBe(200);
    expect(await firstWrite({ 'x-forwarded-for': '198.51.100.8' }, BALANCER)).toBe(200);
    expect(await firstWrite({ 'x-forwarded-for': '198.51.100.7' }, BALANCER)).toBe(429);
    // The client sent "203.0.113.9"; HAProxy appended the address it saw.
    expect(await firstWrite({ 'x-forwarded-for': '203.0.113.9, 198.51.100.8' }, BALANCER)).toBe(429);
  });
});
