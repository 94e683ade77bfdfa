import { describe, expect, it } from 'vitest';
import { signInThrottle } from '../src/sign-in-throttle.ts';

const make = () => {
  let t = 1_000_000;
  const throttle = signInThrottle({ accountFreeFailures: 3, addressFreeFailures: 10, maxBackoffS: 60, windowS: 900, redis: null, keyPrefix: 't:', now: () => t });
  return { throttle, advance: (s: number) => (t += s * 1000) };
};

describe('the sign-in throttle', () => {
  it('backs off one account from one address after its free failures, doubling, capped', async () => {
    const { throttle, advance } = make();
    for (let i = 0; i < 3; i++) {
      expect(await throttle.retryAfterS('ada@example.com', '203.0.113.1')).toBe(0);
      await throttle.failed('ada@example.com', '203.0.113.1');
    }
    expect(await throttle.retryAfterS('ada@example.com', '203.0.113.1')).toBe(1);
    advance(1);
    await throttle.failed('Ada@Example.com', '203.0.113.1');
    expect(await throttle.retryAfterS('ada@example.com', '203.0.113.1')).toBe(2);
    for (let i = 0; i < 10; i++) await throttle.failed('ada@example.com', '203.0.113.1');
    expect(await throttle.retryAfterS('ada@example.com', '203.0.113.1')).toBe(60);
  });

  it('never holds back the same account from another address', async () => {
    const { throttle } = make();
    for (let i = 0; i < 9; i++) await throttle.failed('ada@example.com', '203.0.113.1');
    expect(await throttle.retryAfterS('ada@example.com', '203.0.113.1')).toBeGreaterThan(0);
    expect(await throttle.retryAfterS('ada@example.com', '198.51.100.7')).toBe(0);
  });

  it('forgets the failures of an account and address on success', async () => {
    const { throttle, advance } = make();
    for (let i = 0; i < 3; i++) await throttle.failed('ada@example.com', '203.0.113.1');
    advance(1);
    await throttle.succeeded('ada@example.com', '203.0.113.1');
    expect(await throttle.retryAfterS('ada@example.com', '203.0.113.1')).toBe(0);
  });

  it('backs off an address guessing many accounts', async () => {
    const { throttle } = make();
    for (let i = 0; i < 10; i++) await throttle.failed(`user-${i}@example.com`, '203.0.113.1');
    expect(await throttle.retryAfterS('new@example.com', '203.0.113.1')).toBe(1);
    expect(await throttle.retryAfterS('new@example.com', '203.0.113.2')).toBe(0);
  });

  it('lets counters lapse after the window', async () => {
    const { throttle, advance } = make();
    for (let i = 0; i < 5; i++) await throttle.failed('ada@example.com', '203.0.113.1');
    advance(901);
    expect(await throttle.retryAfterS('ada@example.com', '203.0.113.1')).toBe(0);
  });
});
