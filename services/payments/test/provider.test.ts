import { describe, expect, it } from 'vitest';
import { isUnavailable } from '@shop/platform/unavailable';
import { simulatedProvider, voidWithin, type CardProvider } from '../src/provider.ts';

const request = { idempotencyKey: 'order-1-void', authorizationKey: 'order-1-charge', paymentId: 'p-1', orderId: '1' };

describe('voidWithin', () => {
  it('resolves once the provider confirms the void', async () => {
    await expect(voidWithin(simulatedProvider, request, 100)).resolves.toBeUndefined();
  });

  it('treats a provider that never answers as an outage, so the cancellation is retried, never dead-lettered', async () => {
    const silent: CardProvider = { ...simulatedProvider, void: () => new Promise(() => undefined) };
    const failure = await voidWithin(silent, request, 20).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/did not confirm the void of payment p-1/);
    expect(isUnavailable(failure)).toBe(true);
  });

  it('passes on a refusal by the provider as it is (not an outage)', async () => {
    const refusing: CardProvider = { ...simulatedProvider, void: () => Promise.reject(new Error('authorization not found')) };
    const failure = await voidWithin(refusing, request, 100).catch((err: unknown) => err);
    expect(isUnavailable(failure)).toBe(false);
  });
});
